"""The audit trail: an append-only, keyed hash chain of staff actions, per session."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit_keys import AuditKey
from .session import VotingSession


class AuditEvent(models.Model):
    """Append-only record of a staff action on a session: who, what, when. Never a voter's."""

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # Hash chain per session: each event carries the hash of the one before it, so removing,
    # reordering or editing any event breaks every link after it (manage.py verify_audit). The
    # hash is an HMAC under a key the database never holds (audit_keys.py), named by key_id.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False, default="")
    key_id = models.CharField(max_length=16, editable=False, default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["session", "pk"]

    ACTION_LABELS = {
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
        "committee_added": _("Committee member added"),
        "committee_updated": _("Committee member changed"),
        "committee_removed": _("Committee member removed"),
        "codes_generated": _("Voter codes generated"),
        "voting_opened": _("Voting opened"),
        "voting_closed": _("Voting closed"),
        "paper_entry_started": _("Paper entry started"),
        "paper_entry_finished": _("Paper entry finished"),
        "paper_entry_discarded": _("Paper entry discarded"),
        "figures_saved": _("Committee figures saved"),
        "tally_saved": _("Tally sheet saved"),
        "tally_imported": _("Tally sheet imported"),
        "results_certified": _("Results certified"),
        "results_published": _("Results published"),
        "results_unpublished": _("Results unpublished"),
        "admin_added": _("Added in the admin"),
        "admin_changed": _("Changed in the admin"),
        "admin_deleted": _("Deleted in the admin"),
    }

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def compute_hash(self, key: AuditKey) -> str:
        """HMAC-SHA256, under `key`, of the previous hash and this event's canonical JSON."""
        body = json.dumps(
            {
                "key": self.key_id,
                "prev": self.prev_hash,
                "session": self.session_id,
                "actor": self.actor_id,
                "action": self.action,
                "detail": self.detail,
                "at": self.created_at.isoformat(),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return hmac.new(key.secret, body.encode(), hashlib.sha256).hexdigest()

    @property
    def label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    @property
    def summary(self) -> str:
        """The human part of the detail: a name, a count, a fingerprint."""
        detail = self.detail or {}
        parts = [str(detail[key]) for key in ("name", "title") if detail.get(key)]
        if "count" in detail:
            parts.append(f"{detail['count']}")
        if detail.get("voter_list_sha256"):
            parts.append(f"SHA-256 {detail['voter_list_sha256'][:16]}…")
        return " · ".join(parts)
