"""A campaign across bodies (đợt lấy phiếu tín nhiệm): a body asks the bodies below it to hold
their rating in one year, under one regime and procedure, by a deadline.

The link from a session to its campaign lives here (`CampaignSession`, one campaign per
session, one session per body and campaign), so sessions need no column for it. Changes to a
campaign are recorded in `CampaignEvent`, append-only; linking a session is also recorded in
that session's own audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.models import Organization, VotingSession

FIRST_YEAR = 2000
LAST_YEAR = 2100


class Campaign(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("e.g. 'Lấy phiếu tín nhiệm giữa nhiệm kỳ năm 2026'."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    regime = models.CharField(_("legal basis"), max_length=4, choices=VotingSession.Regime)
    procedure = models.CharField(
        _("procedure"),
        max_length=10,
        choices=VotingSession.Procedure,
        default=VotingSession.Procedure.RATING,
    )
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(regime__in=["qd96", "nq96", "nq85", "nq35"]),
                name="campaign_regime_valid",
            ),
            models.CheckConstraint(
                condition=Q(procedure__in=["rating", "confidence"]),
                name="campaign_procedure_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="campaign_title_not_empty"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="campaign_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class CampaignBody(models.Model):
    """A body taking part in a campaign: in the launching body's subtree (services check it)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="bodies"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="campaign_entries",
    )

    class Meta:
        verbose_name = _("body taking part")
        verbose_name_plural = _("bodies taking part")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="campaign_body_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.organization}"


class CampaignSession(models.Model):
    """A body's session for a campaign: created from it, or an existing one attached."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="links"
    )
    session = models.OneToOneField(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="campaign_link",
    )
    # The session's body, kept here so the database holds "one session per body and campaign".
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("session of a campaign")
        verbose_name_plural = _("sessions of campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="campaign_session_once_per_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.session}"


class CampaignEvent(models.Model):
    """Append-only record of a change to a campaign: who, what, when."""

    class Action(models.TextChoices):
        LAUNCHED = "launched", _("Campaign launched")
        CHANGED = "changed", _("Campaign changed")
        LINKED = "linked", _("Session linked")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=8, choices=Action)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["launched", "changed", "linked"]),
                name="campaign_event_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.campaign}"
