"""What certification freezes: the minutes as generated, and the ballot set they fingerprint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sessions.models import VotingSession


class Certification(models.Model):
    """The committee's confirmation of a session's counts. Written once, never changed."""

    session = models.OneToOneField(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="certification",
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_at = models.DateTimeField(_("certified at"))
    minutes_pdf = models.BinaryField(_("minutes (PDF)"))
    minutes_sha256 = models.CharField(_("minutes fingerprint (SHA-256)"), max_length=64)
    announcement_pdf = models.BinaryField(_("announcement (PDF)"))
    announcement_sha256 = models.CharField(_("announcement fingerprint (SHA-256)"), max_length=64)
    # The anonymized ballot set (or, for a tally sheet, the counts) exactly as published.
    ballot_set_csv = models.BinaryField(_("ballot set (CSV)"))
    ballot_set_sha256 = models.CharField(_("ballot set fingerprint (SHA-256)"), max_length=64)
    # The results document (the API's JSON, in Vietnamese, without the session's status, which
    # still moves between certified and published) exactly as certified. Every page, export and
    # the API read it back after checking its SHA-256 (canonical JSON: sorted keys, UTF-8,
    # compact separators); nothing is recomputed from the live tables once certified.
    result = models.JSONField(_("results as certified"), default=dict, editable=False)
    result_sha256 = models.CharField(
        _("results fingerprint (SHA-256)"), max_length=64, default="", editable=False
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(
                condition=~Q(minutes_sha256="") & ~Q(ballot_set_sha256=""),
                name="certification_has_fingerprints",
            ),
            models.CheckConstraint(
                condition=~Q(result_sha256=""), name="certification_has_result_fingerprint"
            ),
            models.CheckConstraint(
                condition=~Q(announcement_sha256=""),
                name="certification_announcement_has_fingerprint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.certified_at:%Y-%m-%d})"
