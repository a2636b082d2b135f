"""The audit trail: an append-only, keyed hash chain of staff actions, per session."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..audit_keys import AuditKey
from ..audit_labels import audit_label
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
        return audit_label(self.action)

    @property
    def summary(self) -> str:
        """The human part of the detail: a name, a count, a fingerprint."""
        detail = self.detail or {}
        parts = [str(detail[key]) for key in ("name", "title") if detail.get(key)]
        if "count" in detail:
            parts.append(f"{detail['count']}")
        # The figures the opening, the close and the desk's unlock record (ballots/services.py).
        if detail.get("summoned") is not None and detail.get("present") is not None:
            parts.append(_("%(present)s of %(summoned)s present") % detail)
        if detail.get("issued") is not None and detail.get("cast") is not None:
            parts.append(_("%(cast)s ballots cast, %(issued)s codes issued") % detail)
        if detail.get("wrong_codes") is not None:
            parts.append(
                ngettext(
                    "%(wrong_codes)s wrong code forgiven",
                    "%(wrong_codes)s wrong codes forgiven",
                    detail["wrong_codes"],
                )
                % detail
            )
        if detail.get("voter_list_sha256"):
            parts.append(f"SHA-256 {detail['voter_list_sha256'][:16]}…")
        return " · ".join(parts)
