"""Every write on sessions, officials and their lists. One transaction each, with its audit event.

Lists (candidates, voters, committee) change only while the session is a draft: each service
locks the session row first and checks its status on the locked row, so a concurrent "ready"
cannot slip between the check and the write.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .imports import VoterRow
from .models import (
    AuditEvent,
    Candidate,
    CommitteeMember,
    Official,
    Organization,
    Voter,
    VotingSession,
)
from .selectors import normalize_name, readiness_blockers, voter_list_fingerprint

Status = VotingSession.Status

MSG_NOT_DRAFT = gettext_noop("The lists are frozen: this session is no longer a draft.")
MSG_RATED_ON_COMMITTEE = gettext_noop(
    "%(name)s is rated in this session and cannot sit on its committee."
)
MSG_ON_COMMITTEE = gettext_noop(
    "%(name)s sits on this session's counting committee and cannot be rated in it."
)
MSG_OFFICIAL_TWICE = gettext_noop("%(name)s is already on this session's list.")
MSG_SECOND_HEAD = gettext_noop("The committee already has a head (%(name)s).")
MSG_DUPLICATE_VOTER = gettext_noop("%(name)s is already on the list of summoned voters.")
MSG_DUPLICATE_MEMBER = gettext_noop("%(name)s is already on the committee.")
MSG_NOT_READY = gettext_noop("The session cannot be made ready yet: %(problems)s")
MSG_ALREADY_OPENED = gettext_noop("Voting has already opened; the lists can no longer be changed.")
MSG_WRONG_ORGANIZATION = gettext_noop("The official belongs to another organization.")


def _fail(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(_(message), code=code, params=params or None)


def audit_record(
    *, session: VotingSession, actor: AbstractBaseUser, action: str, **detail: Any
) -> AuditEvent:
    """Append one event to the session's hash chain, inside the transaction of the change.

    The session row is locked (callers lock it first; locking again is harmless), so two
    events of one session never race for the same previous link.
    """
    VotingSession.objects.select_for_update().filter(pk=session.pk).values_list("pk").first()
    previous = (
        AuditEvent.objects.filter(session=session).order_by("-pk").values_list("hash", flat=True)
    ).first()
    event = AuditEvent(
        session=session,
        actor=actor,
        action=action,
        # Round-trip through JSON so the hash covers exactly what the database stores.
        detail=json.loads(json.dumps(detail, default=str)),
        created_at=timezone.now(),
        prev_hash=previous or "",
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    return event


def _lock(session: VotingSession) -> VotingSession:
    return VotingSession.objects.select_for_update().get(pk=session.pk)


def _lock_draft(session: VotingSession) -> VotingSession:
    locked = _lock(session)
    if locked.status != Status.DRAFT:
        raise _fail(MSG_NOT_DRAFT, "not_draft")
    return locked


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Organization):
        return value.pk
    return value


# --- Sessions ---------------------------------------------------------------------------------

SESSION_FIELDS = (
    "title",
    "subject",
    "date",
    "start_time",
    "place",
    "regime",
    "procedure",
    "mode",
    "scope",
)


def default_scope(regime: str) -> str:
    """nq96 results are published to the public; Party-track (qd96) ones stay internal."""
    if regime == VotingSession.Regime.NQ96:
        return VotingSession.Scope.PUBLIC
    return VotingSession.Scope.INTERNAL


@transaction.atomic(durable=True)
def session_create(
    *, actor: AbstractBaseUser, organization: Organization, **fields: Any
) -> VotingSession:
    """Create a draft session; the scope defaults by regime."""
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    if not values.get("scope"):
        values["scope"] = default_scope(values.get("regime", ""))
    session = VotingSession(organization=organization, **values)
    session.full_clean()
    session.save()
    audit_record(
        session=session,
        actor=actor,
        action="session_created",
        **{k: _json(v) for k, v in values.items()},
    )
    return session


@transaction.atomic(durable=True)
def session_update(*, actor: AbstractBaseUser, session: VotingSession, **fields: Any) -> None:
    """Change a draft session's details; the changed fields go into the audit trail."""
    locked = _lock_draft(session)
    changed = {}
    for key in SESSION_FIELDS:
        if key in fields and getattr(locked, key) != fields[key]:
            changed[key] = _json(fields[key])
            setattr(locked, key, fields[key])
    if not changed:
        return
    locked.full_clean()
    locked.save(update_fields=[*changed])
    audit_record(session=locked, actor=actor, action="session_updated", **changed)


@transaction.atomic(durable=True)
def session_mark_ready(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Freeze the lists and fix the voter list fingerprint. Returns False if already ready."""
    locked = _lock(session)
    if locked.status == Status.READY:
        return False  # a double click: the first one won, nothing more to do
    if locked.status != Status.DRAFT:
        raise _fail(MSG_ALREADY_OPENED, "not_draft")
    blockers = readiness_blockers(locked)
    if blockers:
        raise _fail(
            MSG_NOT_READY,
            "not_ready",
            problems="; ".join(str(check.label) for check in blockers),
        )
    fingerprint = voter_list_fingerprint(locked.voters.order_by("number"))
    updated = VotingSession.objects.filter(pk=locked.pk, status=Status.DRAFT).update(
        status=Status.READY, voter_list_sha256=fingerprint, ready_count=F("ready_count") + 1
    )
    assert updated == 1  # the row is locked; anything else is a bug
    audit_record(
        session=locked,
        actor=actor,
        action="session_ready",
        voter_list_sha256=fingerprint,
        voters=locked.voters.count(),
        candidates=locked.candidates.filter(excluded=False).count(),
    )
    session.refresh_from_db(fields=["status", "voter_list_sha256", "ready_count"])
    return True


@transaction.atomic(durable=True)
def session_back_to_draft(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Reopen the lists for editing, allowed until voting opens. False if already a draft."""
    locked = _lock(session)
    if locked.status == Status.DRAFT:
        return False
    if locked.status != Status.READY:
        raise _fail(MSG_ALREADY_OPENED, "already_open")
    VotingSession.objects.filter(pk=locked.pk, status=Status.READY).update(
        status=Status.DRAFT, voter_list_sha256=""
    )
    audit_record(
        session=locked,
        actor=actor,
        action="session_back_to_draft",
        voided_fingerprint=locked.voter_list_sha256,
    )
    session.status, session.voter_list_sha256 = Status.DRAFT, ""
    return True


# --- Candidates -------------------------------------------------------------------------------


def _check_not_on_committee(session: VotingSession, name: str) -> None:
    wanted = normalize_name(name)
    for member in session.committee.all():
        if normalize_name(member.full_name) == wanted:
            raise _fail(MSG_ON_COMMITTEE, "on_committee", name=member.full_name)


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
    """Put an official on the list (a new official is created from name and positions)."""
    locked = _lock_draft(session)
    if official is None:
        official = Official(
            organization=locked.organization, full_name=full_name.strip(), positions=positions
        )
        official.full_clean()
        official.save()
    elif official.organization_id != locked.organization_id:
        raise _fail(MSG_WRONG_ORGANIZATION, "wrong_organization")
    if locked.candidates.filter(official=official).exists():
        raise _fail(MSG_OFFICIAL_TWICE, "duplicate", name=official.full_name)
    _check_not_on_committee(locked, official.full_name)
    last = locked.candidates.aggregate(last=Max("order"))["last"] or 0
    candidate = Candidate(
        session=locked,
        official=official,
        position=(position or official.positions).strip(),
        order=last + 1,
    )
    candidate.full_clean()
    candidate.save()
    audit_record(
        session=locked,
        actor=actor,
        action="candidate_added",
        name=official.full_name,
        position=candidate.position,
        order=candidate.order,
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
        raise _fail(MSG_DUPLICATE_VOTER, "duplicate", name=voter.full_name) from None


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
    if replace:
        locked.voters.all().delete()
    existing = {
        (name.casefold(), unit.casefold()): name
        for name, unit in locked.voters.values_list("full_name", "unit")
    }
    clashes = [row for row in rows if (row.full_name.casefold(), row.unit.casefold()) in existing]
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
    audit_record(
        session=locked,
        actor=actor,
        action="voters_imported",
        count=len(voters),
        replaced=replace,
        file=filename,
    )
    return len(voters)


# --- Counting committee -----------------------------------------------------------------------


def _check_member(session: VotingSession, member: CommitteeMember) -> None:
    wanted = normalize_name(member.full_name)
    for name in session.candidates.filter(excluded=False).values_list(
        "official__full_name", flat=True
    ):
        if normalize_name(name) == wanted:
            raise _fail(MSG_RATED_ON_COMMITTEE, "rated", name=name)
    others = session.committee.exclude(pk=member.pk)
    if member.role == CommitteeMember.Role.HEAD:
        head = others.filter(role=CommitteeMember.Role.HEAD).first()
        if head is not None:
            raise _fail(MSG_SECOND_HEAD, "second_head", name=head.full_name)
    if any(normalize_name(n) == wanted for n in others.values_list("full_name", flat=True)):
        raise _fail(MSG_DUPLICATE_MEMBER, "duplicate", name=member.full_name)


@transaction.atomic(durable=True)
def committee_member_add(
    *, actor: AbstractBaseUser, session: VotingSession, full_name: str, unit: str, role: str
) -> CommitteeMember:
    """Add a committee member; a person being rated, a second head or a duplicate is refused."""
    locked = _lock_draft(session)
    member = CommitteeMember(
        session=locked, full_name=" ".join(full_name.split()), unit=unit.strip(), role=role
    )
    member.full_clean(validate_constraints=False)
    _check_member(locked, member)
    member.save()
    audit_record(
        session=locked, actor=actor, action="committee_added", name=member.full_name, role=role
    )
    return member


@transaction.atomic(durable=True)
def committee_member_update(
    *, actor: AbstractBaseUser, member: CommitteeMember, full_name: str, unit: str, role: str
) -> None:
    locked = _lock_draft(member.session)
    current = CommitteeMember.objects.get(pk=member.pk, session=locked)
    current.full_name, current.unit, current.role = " ".join(full_name.split()), unit.strip(), role
    current.full_clean(validate_constraints=False)
    _check_member(locked, current)
    current.save()
    audit_record(
        session=locked, actor=actor, action="committee_updated", name=current.full_name, role=role
    )


@transaction.atomic(durable=True)
def committee_member_remove(*, actor: AbstractBaseUser, member: CommitteeMember) -> None:
    locked = _lock_draft(member.session)
    current = CommitteeMember.objects.get(pk=member.pk, session=locked)
    current.delete()
    audit_record(session=locked, actor=actor, action="committee_removed", name=current.full_name)
