"""The lists of a draft session: candidates and summoned voters (the committee: committee.py)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..imports import VoterRow
from ..models import (
    Candidate,
    Official,
    Voter,
    VotingSession,
)
from ..proposals import proposed_exclusion
from ..selectors import normalize_name, same_person
from .common import (
    MSG_DUPLICATE_VOTER,
    MSG_OFFICIAL_TWICE,
    MSG_ON_COMMITTEE,
    MSG_WRONG_ORGANIZATION,
    _lock_draft,
    audit_record,
    refuse,
)

# --- Candidates -------------------------------------------------------------------------------


def _check_not_on_committee(session: VotingSession, name: str) -> None:
    member = same_person(name, session.committee.values_list("full_name", flat=True))
    if member is not None:
        raise refuse(MSG_ON_COMMITTEE, "on_committee", name=member)


@transaction.atomic(durable=True)
def candidate_add(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    official: Official | None = None,
    full_name: str = "",
    positions: str = "",
    position: str = "",
) -> Candidate:
    """Put an official on the list (a new official is created from name and positions); one
    elected or appointed in the session's year comes already marked not rated (proposals.py)."""
    locked = _lock_draft(session)
    if official is None:
        official = Official(
            organization=locked.organization, full_name=full_name.strip(), positions=positions
        )
        official.full_clean()
        official.save()
    elif official.organization_id != locked.organization_id:
        raise refuse(MSG_WRONG_ORGANIZATION, "wrong_organization")
    if locked.candidates.filter(official=official).exists():
        raise refuse(MSG_OFFICIAL_TWICE, "duplicate", name=official.full_name)
    _check_not_on_committee(locked, official.full_name)
    last = locked.candidates.aggregate(last=Max("order"))["last"] or 0
    candidate = Candidate(
        session=locked,
        official=official,
        position=(position or official.positions).strip(),
        order=last + 1,
    )
    proposal = proposed_exclusion(locked, official)
    if proposal is not None:
        candidate.excluded = True
        candidate.exclusion_reason = proposal.reason
        candidate.exclusion_note = proposal.note[:200]
    candidate.full_clean()
    candidate.save()
    audit_record(
        session=locked,
        actor=actor,
        action="candidate_added",
        name=official.full_name,
        position=candidate.position,
        order=candidate.order,
        **({"excluded": True, "reason": candidate.exclusion_reason} if proposal else {}),
    )
    return candidate


@transaction.atomic(durable=True)
def candidate_update(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    position: str,
    excluded: bool,
    exclusion_reason: str = "",
    exclusion_note: str = "",
) -> None:
    """Change how a candidate is printed, or exclude them from the ballot with a reason."""
    locked = _lock_draft(candidate.session)
    candidate = Candidate.objects.select_related("official").get(pk=candidate.pk, session=locked)
    candidate.position = position.strip()
    candidate.excluded = excluded
    candidate.exclusion_reason = exclusion_reason if excluded else ""
    candidate.exclusion_note = exclusion_note if excluded else ""
    candidate.full_clean()
    if not excluded:
        _check_not_on_committee(locked, candidate.official.full_name)
    candidate.save()
    audit_record(
        session=locked,
        actor=actor,
        action="candidate_updated",
        name=candidate.official.full_name,
        position=candidate.position,
        excluded=excluded,
        reason=candidate.exclusion_reason,
    )


@transaction.atomic(durable=True)
def candidate_move(*, actor: AbstractBaseUser, candidate: Candidate, up: bool) -> None:
    """Swap a candidate with its neighbour above or below on the ballot."""
    locked = _lock_draft(candidate.session)
    current = Candidate.objects.get(pk=candidate.pk, session=locked)
    siblings = locked.candidates.order_by("order" if not up else "-order")
    neighbour = (
        siblings.filter(order__lt=current.order).first()
        if up
        else siblings.filter(order__gt=current.order).first()
    )
    if neighbour is None:
        return
    # (session, order) is unique: park one row past the end while the two swap.
    parking = (locked.candidates.aggregate(last=Max("order"))["last"] or 0) + 1
    first, second = current.order, neighbour.order
    Candidate.objects.filter(pk=current.pk).update(order=parking)
    Candidate.objects.filter(pk=neighbour.pk).update(order=first)
    Candidate.objects.filter(pk=current.pk).update(order=second)
    audit_record(
        session=locked,
        actor=actor,
        action="candidate_moved",
        name=candidate.official.full_name,
        order=second,
    )


@transaction.atomic(durable=True)
def candidate_remove(*, actor: AbstractBaseUser, candidate: Candidate) -> None:
    """Take a candidate off a draft list and close the gap in the order."""
    locked = _lock_draft(candidate.session)
    current = Candidate.objects.select_related("official").get(pk=candidate.pk, session=locked)
    order = current.order
    current.delete()
    for later in locked.candidates.filter(order__gt=order).order_by("order"):
        Candidate.objects.filter(pk=later.pk).update(order=later.order - 1)
    audit_record(
        session=locked, actor=actor, action="candidate_removed", name=current.official.full_name
    )


# --- Summoned voters --------------------------------------------------------------------------


def _next_voter_number(session: VotingSession) -> int:
    return (session.voters.aggregate(last=Max("number"))["last"] or 0) + 1


def _save_voter(voter: Voter) -> None:
    voter.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError:
        raise refuse(MSG_DUPLICATE_VOTER, "duplicate", name=voter.full_name) from None


@transaction.atomic(durable=True)
def voter_add(
    *, actor: AbstractBaseUser, session: VotingSession, full_name: str, unit: str = ""
) -> Voter:
    locked = _lock_draft(session)
    voter = Voter(
        session=locked,
        number=_next_voter_number(locked),
        full_name=" ".join(full_name.split()),
        unit=" ".join(unit.split()),
    )
    _save_voter(voter)
    audit_record(session=locked, actor=actor, action="voter_added", name=voter.full_name)
    return voter


@transaction.atomic(durable=True)
def voter_update(*, actor: AbstractBaseUser, voter: Voter, full_name: str, unit: str) -> None:
    locked = _lock_draft(voter.session)
    current = Voter.objects.get(pk=voter.pk, session=locked)
    before = current.full_name
    current.full_name = " ".join(full_name.split())
    current.unit = " ".join(unit.split())
    _save_voter(current)
    audit_record(
        session=locked, actor=actor, action="voter_updated", name=current.full_name, was=before
    )


@transaction.atomic(durable=True)
def voter_remove(*, actor: AbstractBaseUser, voter: Voter) -> None:
    locked = _lock_draft(voter.session)
    current = Voter.objects.get(pk=voter.pk, session=locked)
    current.delete()
    audit_record(session=locked, actor=actor, action="voter_removed", name=current.full_name)


@transaction.atomic(durable=True)
def voters_import(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    rows: list[VoterRow],
    replace: bool,
    filename: str = "",
) -> int:
    """Add (or replace the list with) parsed rows: all of them or, on any conflict, none."""
    locked = _lock_draft(session)
    count = voters_add_rows(locked, rows, replace=replace)
    audit_record(
        session=locked,
        actor=actor,
        action="voters_imported",
        count=count,
        replaced=replace,
        file=filename,
    )
    return count


def voters_add_rows(locked: VotingSession, rows: list[VoterRow], *, replace: bool) -> int:
    """Add rows to a draft session, locked by the caller, or replace its list with them; on any
    clash with a name already on the list, nothing (the caller's transaction rolls back)."""
    if replace:
        locked.voters.all().delete()
    # Compared as the committee rule compares names (NFC, case and spacing aside), so that a
    # row stored before input was put in NFC still matches the same name in a file.
    existing = {
        (normalize_name(name), normalize_name(unit))
        for name, unit in locked.voters.values_list("full_name", "unit")
    }
    clashes = [
        row for row in rows if (normalize_name(row.full_name), normalize_name(row.unit)) in existing
    ]
    if clashes:
        row = clashes[0]
        raise ValidationError(
            _("Row %(row)d: %(name)s is already on the list of summoned voters."),
            code="duplicate",
            params={"row": row.line, "name": row.full_name},
        )
    start = _next_voter_number(locked)
    voters = [
        Voter(session=locked, number=start + i, full_name=row.full_name, unit=row.unit)
        for i, row in enumerate(rows)
    ]
    for voter in voters:
        voter.full_clean(validate_constraints=False)
    Voter.objects.bulk_create(voters)
    return len(voters)
