"""Reads across a campaign: each body's progress, the sessions a body may attach, and what the
dashboard shows a user.

Progress is derived from the linked session's life-cycle predicates (sessions/models/session.py),
never from its status string.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sessions.access import AnyUser
from sessions.models import Organization, VotingSession

from .access import CampaignAccess, visible_campaigns
from .models import Campaign, CampaignSession


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PREPARING = "preparing", _("Preparing")
    VOTING = "voting", _("Voting")
    COUNTED = "counted", _("Counted")
    CERTIFIED = "certified", _("Certified")
    PUBLISHED = "published", _("Published")


def progress_of(session: VotingSession | None) -> Progress:
    """Not started (no session), preparing (draft, ready), voting (open), counted (closed),
    certified, published."""
    if session is None:
        return Progress.NOT_STARTED
    if session.is_published:
        return Progress.PUBLISHED
    if session.is_certified:
        return Progress.CERTIFIED
    if session.is_counted:
        return Progress.COUNTED
    if session.has_opened:
        return Progress.VOTING
    return Progress.PREPARING


@dataclass(frozen=True)
class BodyRow:
    organization: Organization
    session: VotingSession | None
    progress: Progress

    @property
    def is_certified(self) -> bool:
        return self.session is not None and self.session.is_certified


def body_rows(campaign: Campaign) -> list[BodyRow]:
    """Every body taking part, by name, with its session (if any) and its progress."""
    links = {
        link.organization_id: link.session
        for link in CampaignSession.objects.filter(campaign=campaign).select_related(
            "session__organization"
        )
    }
    bodies = Organization.objects.filter(campaign_entries__campaign=campaign).order_by("name")
    rows = []
    for body in bodies:
        session = links.get(body.pk)
        rows.append(BodyRow(body, session, progress_of(session)))
    return rows


def attachable_sessions(campaign: Campaign, organization: Organization) -> QuerySet[VotingSession]:
    """The body's sessions of the campaign's year, legal basis and procedure, in no campaign."""
    return VotingSession.objects.filter(
        organization=organization,
        date__year=campaign.year,
        regime=campaign.regime,
        procedure=campaign.procedure,
        campaign_link__isnull=True,
    ).order_by("-date", "-pk")


@dataclass(frozen=True)
class DashboardEntry:
    campaign: Campaign
    access: CampaignAccess
    own_rows: list[BodyRow]  # the user's bodies taking part, with their progress


def dashboard_entries(user: AnyUser) -> list[DashboardEntry]:
    entries = []
    for campaign, access in visible_campaigns(user):
        own = [row for row in body_rows(campaign) if row.organization.pk in access.own_bodies]
        entries.append(DashboardEntry(campaign, access, own))
    return entries
