"""What results adds to the pages of sessions (which cannot import it): its tab, its button,
and the names of its actions in the audit trail.

Registered from ResultsConfig.ready(); sessions' templates render them (sessions/tabs.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sessions.audit_labels import register_audit_labels
from sessions.models import VotingSession
from sessions.tabs import SessionPerms, register_action, register_tab


def _counted(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_counted


def register() -> None:
    register_tab("results", _("Results"), "results:page", order=50, visible=_counted)
    register_action(
        "results", _("Results"), "results:page", order=10, visible=_counted, style="btn-primary"
    )
    register_audit_labels(
        {
            "results_certified": _("Results certified"),
            "results_published": _("Results published"),
            "results_unpublished": _("Results unpublished"),
            "result_documents_updated": _("Details of the documents after the count changed"),
            "resolution_adoption_recorded": _("Adoption of the resolution recorded"),
            "follow_up_created": _("Follow-up vote of confidence prepared"),
            "resignation_recorded": _("Resignation recorded"),
        }
    )
