"""What the audit trail calls each action, for the audit page and the overview.

sessions names its own actions here; ballots and results name theirs from their
AppConfig.ready() (sessions cannot import them). An action nobody named shows as its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

_labels: dict[str, Any] = {
    "session_created": _("Session created"),
    "session_updated": _("Session details changed"),
    "session_ready": _("Lists frozen: session ready"),
    "session_back_to_draft": _("Back to draft"),
    "candidate_added": _("Candidate added"),
    "candidate_updated": _("Candidate changed"),
    "candidate_moved": _("Candidate moved"),
    "candidate_removed": _("Candidate removed"),
    "voter_added": _("Voter added"),
    "voter_updated": _("Voter changed"),
    "voter_removed": _("Voter removed"),
    "voters_imported": _("Voter list imported"),
    "voters_from_roster": _("Summoned list taken from the body's roster"),
    "roster_saved": _("Summoned list saved as the body's roster"),
    "session_copied": _("Session created from an earlier one"),
    "committee_added": _("Committee member added"),
    "committee_updated": _("Committee member changed"),
    "committee_removed": _("Committee member removed"),
    "admin_added": _("Added in the admin"),
    "admin_changed": _("Changed in the admin"),
    "admin_deleted": _("Deleted in the admin"),
}


def register_audit_labels(labels: Mapping[str, Any]) -> None:
    """Name more actions (lazy translations); naming one again replaces its label."""
    _labels.update(labels)


def audit_label(action: str) -> str:
    return str(_labels.get(action, action))
