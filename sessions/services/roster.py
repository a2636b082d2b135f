"""A body's roster of members (RosterMember): kept on its page, saved from a session's summoned
list, and used as a draft session's summoned list (replace or append, like a file import).

Changes to the roster itself are recorded in the registry's log (RegistryEvent, the body as
subject); what a session takes from it or gives it, also in that session's audit trail.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from ..imports import VoterRow
from ..models import Organization, RegistryEvent, RosterMember, VotingSession
from .common import _lock_draft, audit_record, lock_session, refuse
from .lists import voters_add_rows
from .registry import registry_record

MSG_ON_ROSTER = gettext_noop("%(name)s is already on the body's roster.")
MSG_ROSTER_EMPTY = gettext_noop("The body's roster is empty: add its members on the roster page.")
MSG_NO_VOTERS = gettext_noop("This session has no summoned voters to save as the roster.")

Action = RegistryEvent.Action


def _clean_text(value: str) -> str:
    return " ".join(value.split())


@transaction.atomic(durable=True)
def roster_member_add(
    *, actor: AbstractBaseUser, organization: Organization, full_name: str, unit: str = ""
) -> RosterMember:
    """Add one member at the end of the body's roster; the same name and unit twice is refused."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    last = organization.roster.aggregate(last=Max("number"))["last"] or 0
    member = RosterMember(
        organization=organization,
        number=last + 1,
        full_name=_clean_text(full_name),
        unit=_clean_text(unit),
    )
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise refuse(MSG_ON_ROSTER, "duplicate", name=member.full_name) from None
    registry_record(
        actor=actor,
        obj=organization,
        action=Action.CHANGED,
        after={"roster_added": str(member)},
        note="roster member added",
    )
    return member


@transaction.atomic(durable=True)
def roster_member_remove(*, actor: AbstractBaseUser, member: RosterMember) -> None:
    organization = member.organization
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    RosterMember.objects.filter(pk=member.pk).delete()
    registry_record(
        actor=actor,
        obj=organization,
        action=Action.CHANGED,
        before={"roster_removed": str(member)},
        note="roster member removed",
    )


@transaction.atomic(durable=True)
def roster_save_from_session(*, actor: AbstractBaseUser, session: VotingSession) -> int:
    """Replace the body's roster with this session's summoned list (names and units, in order)."""
    locked = lock_session(session)
    voters = list(locked.voters.order_by("number").values_list("full_name", "unit"))
    if not voters:
        raise refuse(MSG_NO_VOTERS, "no_voters")
    organization = locked.organization
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    before = organization.roster.count()
    organization.roster.all().delete()
    RosterMember.objects.bulk_create(
        RosterMember(organization=organization, number=n, full_name=name, unit=unit)
        for n, (name, unit) in enumerate(voters, start=1)
    )
    registry_record(
        actor=actor,
        obj=organization,
        action=Action.CHANGED,
        before={"roster": before},
        after={"roster": len(voters)},
        note=f"roster saved from session {locked.public_id}",
    )
    audit_record(session=locked, actor=actor, action="roster_saved", count=len(voters))
    return len(voters)


@transaction.atomic(durable=True)
def voters_from_roster(
    *, actor: AbstractBaseUser, session: VotingSession, replace: bool
) -> tuple[int, int]:
    """Put the body's roster on a draft session's summoned list, replacing it or appended to it:
    all of the members or, if one is on the list already, none. Returns (removed, added): how
    many summoned voters the replacement took off the list, and how many members were put on."""
    locked = _lock_draft(session)
    members = list(locked.organization.roster.order_by("number"))
    if not members:
        raise refuse(MSG_ROSTER_EMPTY, "empty")
    removed = locked.voters.count() if replace else 0
    rows = [VoterRow(line=m.number, full_name=m.full_name, unit=m.unit) for m in members]
    count = voters_add_rows(locked, rows, replace=replace)
    audit_record(
        session=locked,
        actor=actor,
        action="voters_from_roster",
        count=count,
        replaced=replace,
        removed=removed,
    )
    return removed, count
