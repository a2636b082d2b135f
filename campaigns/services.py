"""Every write on campaigns: one transaction each, with its record (CampaignEvent) and, when a
session is linked, an event in that session's own audit trail.

The rules: the bodies taking part lie in the launching body's subtree; a body's session for a
campaign is of that body, of the campaign's year, regime and procedure, and linked once; once a
body has its session, the campaign's year, regime and procedure stay, and that body stays in it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from sessions.models import Organization, VotingSession
from sessions.services import audit_record, lock_session, refuse, session_draft

from .access import subtree_ids
from .models import Campaign, CampaignBody, CampaignEvent, CampaignSession

MSG_OUTSIDE = gettext_noop("Only bodies at or below %(body)s can take part in its campaign.")
MSG_NO_BODY = gettext_noop("Choose at least one body to take part.")
MSG_LOCKED_RULES = gettext_noop(
    "Bodies already have their sessions for this campaign: its year, legal basis and procedure "
    "can no longer change."
)
MSG_BODY_HAS_SESSION = gettext_noop(
    "%(body)s already has its session for this campaign and stays in it."
)
MSG_NOT_TAKING_PART = gettext_noop("%(body)s does not take part in this campaign.")
MSG_ALREADY_LINKED = gettext_noop("%(body)s already has its session for this campaign.")
MSG_SESSION_IN_A_CAMPAIGN = gettext_noop("This session already belongs to a campaign.")
MSG_WRONG_YEAR = gettext_noop("The session is of %(session)s; the campaign is for %(year)s.")
MSG_WRONG_RULES = gettext_noop(
    "The session's legal basis and procedure differ from the campaign's."
)
MSG_WRONG_BODY = gettext_noop("The session is not one of %(body)s.")
MSG_DEADLINE_YEAR = gettext_noop("The deadline cannot be before the campaign's year.")

CAMPAIGN_FIELDS = ("title", "year", "regime", "procedure", "deadline")


def _check_bodies(organization: Organization, bodies: Iterable[Organization]) -> list[Organization]:
    chosen = list(dict.fromkeys(bodies))
    if not chosen:
        raise refuse(MSG_NO_BODY, "no_body")
    allowed = subtree_ids(organization)
    if any(body.pk not in allowed for body in chosen):
        raise refuse(MSG_OUTSIDE, "outside_subtree", body=organization.name)
    return chosen


def _clean(campaign: Campaign) -> None:
    if campaign.deadline and campaign.year and campaign.deadline.year < campaign.year:
        raise ValidationError({"deadline": refuse(MSG_DEADLINE_YEAR, "deadline_year")})
    campaign.full_clean(exclude=["created_by"])


@transaction.atomic(durable=True)
def campaign_launch(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    bodies: Iterable[Organization],
    **fields: Any,
) -> Campaign:
    """A body launches a campaign for bodies of its subtree."""
    chosen = _check_bodies(organization, bodies)
    values = {key: fields[key] for key in CAMPAIGN_FIELDS if key in fields}
    campaign = Campaign(organization=organization, created_by=actor, **values)
    _clean(campaign)
    campaign.save()
    CampaignBody.objects.bulk_create(
        [CampaignBody(campaign=campaign, organization=body) for body in chosen]
    )
    CampaignEvent.objects.create(
        actor=actor,
        campaign=campaign,
        action=CampaignEvent.Action.LAUNCHED,
        detail={**_detail(values), "bodies": [body.pk for body in chosen]},
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_update(
    *, actor: AbstractBaseUser, campaign: Campaign, bodies: Iterable[Organization], **fields: Any
) -> Campaign:
    """Change a campaign; what bodies already hold sessions under stays as it is."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    chosen = _check_bodies(locked.organization, bodies)
    linked = dict(
        CampaignSession.objects.filter(campaign=locked)
        .select_related("organization")
        .values_list("organization_id", "organization__name")
    )
    values = {key: fields[key] for key in CAMPAIGN_FIELDS if key in fields}
    if linked and any(
        values.get(key, getattr(locked, key)) != getattr(locked, key)
        for key in ("year", "regime", "procedure")
    ):
        raise refuse(MSG_LOCKED_RULES, "rules_locked")
    chosen_ids = {body.pk for body in chosen}
    for body_id, name in linked.items():
        if body_id not in chosen_ids:
            raise refuse(MSG_BODY_HAS_SESSION, "body_has_session", body=name)
    before = {**_detail({key: getattr(locked, key) for key in CAMPAIGN_FIELDS})}
    before["bodies"] = sorted(locked.bodies.values_list("organization_id", flat=True))
    for key, value in values.items():
        setattr(locked, key, value)
    _clean(locked)
    locked.save()
    CampaignBody.objects.filter(campaign=locked).exclude(organization_id__in=chosen_ids).delete()
    present = set(locked.bodies.values_list("organization_id", flat=True))
    CampaignBody.objects.bulk_create(
        [CampaignBody(campaign=locked, organization=b) for b in chosen if b.pk not in present]
    )
    after = {**_detail({key: getattr(locked, key) for key in CAMPAIGN_FIELDS})}
    after["bodies"] = sorted(chosen_ids)
    CampaignEvent.objects.create(
        actor=actor,
        campaign=locked,
        action=CampaignEvent.Action.CHANGED,
        detail={"before": before, "after": after},
    )
    return locked


def _detail(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }


def _lock_entry(campaign: Campaign, organization: Organization) -> CampaignBody:
    """The body's place in the campaign, locked: two clicks cannot both give it a session."""
    entry = (
        CampaignBody.objects.select_for_update()
        .filter(campaign=campaign, organization=organization)
        .first()
    )
    if entry is None:
        raise refuse(MSG_NOT_TAKING_PART, "not_taking_part", body=organization.name)
    if CampaignSession.objects.filter(campaign=campaign, organization=organization).exists():
        raise refuse(MSG_ALREADY_LINKED, "already_linked", body=organization.name)
    return entry


def _link(
    *, actor: AbstractBaseUser, campaign: Campaign, session: VotingSession
) -> CampaignSession:
    link = CampaignSession.objects.create(
        campaign=campaign, session=session, organization_id=session.organization_id, linked_by=actor
    )
    audit_record(
        session=session,
        actor=actor,
        action="campaign_linked",
        campaign=campaign.pk,
        campaign_title=campaign.title,
    )
    CampaignEvent.objects.create(
        actor=actor,
        campaign=campaign,
        action=CampaignEvent.Action.LINKED,
        detail={"session": session.pk, "organization": session.organization_id},
    )
    return link


def session_date(campaign: Campaign) -> datetime.date:
    """The date a new session is given: the deadline, within the campaign's year."""
    if campaign.deadline.year == campaign.year:
        return campaign.deadline
    return datetime.date(campaign.year, 12, 31)


@transaction.atomic(durable=True)
def campaign_session_create(
    *, actor: AbstractBaseUser, campaign: Campaign, organization: Organization
) -> VotingSession:
    """A draft session of the body for the campaign: its regime, procedure and year preset.

    Created (sessions.services.session_draft, in this transaction) and linked in one, with the
    session's "created" and "linked" events in its audit trail.
    """
    _lock_entry(campaign, organization)
    session = session_draft(
        actor=actor,
        organization=organization,
        title=campaign.title,
        date=session_date(campaign),
        place=organization.locality or organization.name,
        regime=campaign.regime,
        procedure=campaign.procedure,
        detail={"organization": organization.pk},
    )
    _link(actor=actor, campaign=campaign, session=session)
    return session


@transaction.atomic(durable=True)
def campaign_session_attach(
    *,
    actor: AbstractBaseUser,
    campaign: Campaign,
    organization: Organization,
    session: VotingSession,
) -> CampaignSession:
    """Attach an existing session of a body taking part (an imported tally, say) as that body's:
    same body, year, legal basis and procedure; one session per body, one campaign per session."""
    locked = lock_session(session)
    _lock_entry(campaign, organization)
    if locked.organization_id != organization.pk:
        raise refuse(MSG_WRONG_BODY, "wrong_body", body=organization.name)
    if CampaignSession.objects.filter(session=locked).exists():
        raise refuse(MSG_SESSION_IN_A_CAMPAIGN, "session_in_a_campaign")
    if locked.date.year != campaign.year:
        raise refuse(MSG_WRONG_YEAR, "wrong_year", session=locked.date.year, year=campaign.year)
    if (locked.regime, locked.procedure) != (campaign.regime, campaign.procedure):
        raise refuse(MSG_WRONG_RULES, "wrong_rules")
    return _link(actor=actor, campaign=campaign, session=locked)
