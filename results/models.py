"""What certification freezes: the minutes as generated, and the ballot set they fingerprint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.models import Candidate, VotingSession


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


class ResultDocuments(models.Model):
    """What the secretariat types into the documents that follow the count (domain.md,
    "Documents after the count"), and, under nq96, the resolution as adopted.

    The report (qd96): its addressee ("Kính gửi"), its number in the register and its date,
    and the "Nơi nhận" lines (also printed under the draft resolution). The resolution (nq96):
    the number and date the sitting adopted it under, and who recorded that and when; from then
    on /public/ shows the results as confirmed rather than as the committee's count.
    """

    session = models.OneToOneField(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="result_documents",
    )
    addressee = models.CharField(_("addressed to"), max_length=300, blank=True)
    recipients = models.TextField(_("recipients"), max_length=2000, blank=True)
    report_number = models.CharField(_("report number"), max_length=20, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    resolution_number = models.CharField(_("resolution number"), max_length=30, blank=True)
    resolution_date = models.DateField(_("resolution adopted on"), null=True, blank=True)
    adoption_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adoption recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adoption_recorded_at = models.DateTimeField(_("adoption recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("documents after the count")
        verbose_name_plural = _("documents after the count")
        constraints = [
            # A resolution is recorded whole (number, date, by whom, when) or not at all.
            models.CheckConstraint(
                condition=(
                    Q(resolution_number="")
                    & Q(resolution_date__isnull=True)
                    & Q(adoption_recorded_by__isnull=True)
                    & Q(adoption_recorded_at__isnull=True)
                )
                | (
                    ~Q(resolution_number="")
                    & Q(resolution_date__isnull=False)
                    & Q(adoption_recorded_by__isnull=False)
                    & Q(adoption_recorded_at__isnull=False)
                ),
                name="result_documents_adoption_whole",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def adopted(self) -> bool:
        return bool(self.resolution_number and self.resolution_date)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Resignation(models.Model):
    """A person in a band who resigned (xin từ chức), recorded against their line in a certified
    rating: they are not put to the follow-up vote of confidence. Never changed afterwards."""

    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="resignation",
    )
    resigned_on = models.DateField(_("resigned on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("resignation")
        verbose_name_plural = _("resignations")

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.resigned_on:%d/%m/%Y}"


class FollowUp(models.Model):
    """The vote of confidence prepared from a certified rating: one per rating."""

    origin = models.OneToOneField(
        VotingSession,
        verbose_name=_("rating"),
        on_delete=models.PROTECT,
        related_name="follow_up",
    )
    session = models.OneToOneField(
        VotingSession,
        verbose_name=_("vote of confidence"),
        on_delete=models.PROTECT,
        related_name="follow_up_of",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up vote of confidence")
        verbose_name_plural = _("follow-up votes of confidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin=models.F("session")), name="follow_up_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.session_id}"
