"""Voter codes, check-in, opening and closing, and casting a ballot.

Secrecy rules kept here:
- no code is ever tied to a person: check-in marks a voter present, activation turns any slip
  live, and neither records a time or writes an audit event naming who or which slip;
- a cast consumes a code and inserts a ballot with a random id and no link back;
- at close, ballots, marks, codes and voters are rewritten in random order in the same
  transaction, then their tables are rewritten into new files (storage.py), so neither row
  order, transaction ids nor old row versions carry anything.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.translation import gettext_noop

from sessions.models import DESK_OPEN, Voter, VotingSession
from sessions.selectors import quorum
from sessions.services import audit_record, lock_session, refuse, session_transition
from sessions.text import visible

from . import codes, storage, throttle
from .models import Ballot, ClosingCount, CountSheet, VoterCode
from .refusals import BallotRefused
from .selectors import counts_digest, marks_count
from .voting import BallotForm as BallotForm  # re-exported: callers use services.*
from .voting import ballot_cast as ballot_cast
from .voting import ballot_open as ballot_open
from .voting import choices_from_post as choices_from_post
from .voting import kept_form as kept_form

Status = VotingSession.Status
State = VoterCode.State

MAX_CODES = 5000

MSG_EXPLANATION_SHORT = gettext_noop(
    "Write the reason in words (at least 10 characters), as the minutes will print it."
)
MSG_NOT_READY_FOR_CODES = gettext_noop(
    "Voter codes can be generated only while the session is ready and voting has not opened."
)
MSG_NOT_OPEN_FOR_SPARE = gettext_noop(
    "Spare slips can be printed while the session is ready or voting is open."
)
MSG_NO_CODES_ON_PAPER = gettext_noop("A paper ballot session has no voter codes.")
MSG_TOO_MANY = gettext_noop("Generate between 1 and %(max)d codes.")
MSG_CHECKIN_CLOSED = gettext_noop("Check-in is possible only while the session is ready or open.")
MSG_NOT_READY = gettext_noop("Only a ready session can be opened.")
MSG_NO_QUORUM = gettext_noop(
    "Quorum not met: %(present)d of %(summoned)d summoned are present; "
    "Regulation 96 needs at least two thirds (%(needed)d)."
)
MSG_NO_CODES = gettext_noop("Generate and print the voter codes before opening electronic voting.")
MSG_NOT_OPEN = gettext_noop("Voting is not open.")
MSG_UNLOCK_NOT_OPEN = gettext_noop("Devices are unlocked at the desk while voting is open.")
MSG_BAD_DEVICE_NUMBER = gettext_noop("A device number has 6 digits, as the locked device shows.")
MSG_NO_LOCKED_DEVICE = gettext_noop(
    "No device with number %(number)s has entered wrong codes in the last few minutes."
)
MSG_OVER_PRESENT = gettext_noop(
    "%(issued)d slips are already handed out for %(present)d people checked in: check the next "
    "person in first, or record below why more ballots are issued than people present."
)
MSG_EXPLANATION_WHEN = gettext_noop(
    "The explanation is recorded from the moment the lists are frozen until the results are "
    "certified."
)
MSG_EMPTY_CLOSE = gettext_noop(
    "No ballot has been cast. Confirm that you want to close voting anyway."
)


# --- Codes ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def codes_generate(
    *, actor: AbstractBaseUser, session: VotingSession, count: int, spare: bool = False
) -> list[str]:
    """Create `count` fresh codes. Returns the only plain copies.

    A new set (ready only) voids every slip printed before. A spare stack (ready, or once voting
    is open) adds slips and voids nothing. Either way the slips belong to this freeze
    (`ready_count`): going back to draft voids them all, and at close every slip not handed out
    becomes void (session_close).
    """
    locked = lock_session(session)
    if locked.mode != VotingSession.Mode.ELECTRONIC:
        raise refuse(MSG_NO_CODES_ON_PAPER, "paper")
    if not (locked.is_ready or (spare and locked.is_open)):
        raise refuse(MSG_NOT_OPEN_FOR_SPARE if spare else MSG_NOT_READY_FOR_CODES, "not_ready")
    if not 1 <= count <= MAX_CODES:
        raise refuse(MSG_TOO_MANY, "count", max=MAX_CODES)
    voided = 0
    if not spare:
        voided = (
            VoterCode.objects.filter(session=locked)
            .exclude(state=State.VOID)
            .update(state=State.VOID)
        )
    plain: set[str] = set()
    while len(plain) < count:
        plain.add(codes.new_code())
    VoterCode.objects.bulk_create(
        [
            VoterCode(session=locked, code_hash=codes.code_hash(c), epoch=locked.ready_count)
            for c in plain
        ],
        batch_size=1000,
    )
    audit_record(
        session=locked,
        actor=actor,
        action="codes_generated",
        count=count,
        voided=voided,
        spare=spare,
    )
    return sorted(plain)


class Activation:
    ACTIVATED = "activated"
    ALREADY = "already"


def slips_issued(session: VotingSession) -> int:
    """Slips of the current printing handed out so far: the ballots issued."""
    return VoterCode.objects.filter(
        session=session,
        epoch=session.ready_count,
        state__in=[State.ACTIVE, State.USED, State.UNUSED],
    ).count()


def issue_explanation(session: VotingSession) -> str:
    """The recorded explanation for issuing more ballots than people present ("" if none)."""
    return (
        CountSheet.objects.filter(session=session).values_list("explanation", flat=True).first()
        or ""
    )


@transaction.atomic(durable=True)
def code_activate(*, session: VotingSession, raw: str) -> str:
    """Turn a printed slip live as the desk hands it over. Records no time and no person.

    No more slips than people checked in, unless the committee has recorded why (the minutes
    print it). The session row is locked first, so two desks handing out the last allowed slip
    at the same moment cannot both succeed: the second counts after the first has committed.
    """
    code = codes.normalize(raw)
    if code is None:
        raise BallotRefused("format")
    locked = lock_session(session)
    if not locked.desk_open:
        raise BallotRefused("closed" if not locked.is_draft else "void")
    digest = codes.code_hash(code)
    row = VoterCode.objects.filter(session=locked, code_hash=digest).first()
    if row is None:
        raise BallotRefused("unknown")
    if row.epoch == locked.ready_count and row.state == State.INERT:
        issued, present = slips_issued(locked), quorum(locked).present
        if issued >= present and not issue_explanation(locked):
            raise refuse(MSG_OVER_PRESENT, "over_present", issued=issued, present=present)
        VoterCode.objects.filter(pk=row.pk, state=State.INERT).update(state=State.ACTIVE)
        return Activation.ACTIVATED
    if row.state == State.ACTIVE and row.epoch == locked.ready_count:
        return Activation.ALREADY
    if row.state == State.USED:
        raise BallotRefused("used")
    raise BallotRefused("void")


@transaction.atomic(durable=True)
def issue_explanation_save(
    *, actor: AbstractBaseUser, session: VotingSession, explanation: str
) -> None:
    """Record (or clear) why more ballots are issued than people present; audited, and printed
    by the minutes. Possible until the results are certified."""
    locked = lock_session(session)
    if locked.is_draft or locked.is_certified:
        raise refuse(MSG_EXPLANATION_WHEN, "not_running")
    explanation = visible(explanation)  # zero-width characters alone explain nothing
    if explanation and (len(explanation) < 10 or not any(ch.isalpha() for ch in explanation)):
        raise refuse(MSG_EXPLANATION_SHORT, "too_short")
    CountSheet.objects.update_or_create(session=locked, defaults={"explanation": explanation})
    audit_record(
        session=locked, actor=actor, action="issue_explanation_saved", explanation=explanation
    )


@transaction.atomic(durable=True)
def device_unlock(*, actor: AbstractBaseUser, session: VotingSession, number: str) -> int:
    """The desk of an open session unlocks a device locked by wrong codes, by the number the
    device shows (throttle.device_number). Audited with the count forgiven, and nothing that
    names the device, a code or a voter. Returns the number of wrong codes forgiven."""
    locked = lock_session(session)
    if not locked.is_open or locked.mode != VotingSession.Mode.ELECTRONIC:
        raise refuse(MSG_UNLOCK_NOT_OPEN, "not_open")
    digits = throttle.normalize_device_number(number)
    if digits is None:
        raise refuse(MSG_BAD_DEVICE_NUMBER, "bad_number")
    forgiven = throttle.device_forgive(digits)
    if not forgiven:
        raise refuse(MSG_NO_LOCKED_DEVICE, "no_device", number=digits)
    audit_record(session=locked, actor=actor, action="device_unlocked", wrong_codes=forgiven)
    return forgiven


# --- Check-in, open, close --------------------------------------------------------------------


def voter_check_in(*, voter: Voter, present: bool) -> None:
    """Mark a summoned voter present (or not). Deliberately no time and no audit row."""
    updated = Voter.objects.filter(pk=voter.pk, session__status__in=DESK_OPEN).update(
        present=present
    )
    if updated != 1:
        raise refuse(MSG_CHECKIN_CLOSED, "checkin_closed")


@transaction.atomic(durable=True)
def session_open(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """ready → open. Under qd96 the ⅔ quorum must be present. False if already open."""
    locked = lock_session(session)
    if locked.is_open:
        return False
    if not locked.is_ready:
        raise refuse(MSG_NOT_READY, "not_ready")
    q = quorum(locked)
    if locked.rules.quorum_binding and not q.met:
        raise refuse(
            MSG_NO_QUORUM, "quorum", present=q.present, summoned=q.summoned, needed=q.needed
        )
    if (
        locked.mode == VotingSession.Mode.ELECTRONIC
        and not VoterCode.objects.filter(session=locked, epoch=locked.ready_count)
        .exclude(state=State.VOID)
        .exists()
    ):
        raise refuse(MSG_NO_CODES, "no_codes")
    session_transition(locked, Status.OPEN, also=session)
    audit_record(
        session=locked,
        actor=actor,
        action="voting_opened",
        present=q.present,
        summoned=q.summoned,
    )
    return True


@transaction.atomic(durable=True)
def session_close(
    *, actor: AbstractBaseUser, session: VotingSession, confirm_empty: bool = False
) -> bool:
    """open → closed; no code works afterwards, and storage order is destroyed."""
    locked = lock_session(session)
    if locked.is_counted:
        return False
    if not locked.is_open:
        raise refuse(MSG_NOT_OPEN, "not_open")
    # Lock every code row: a cast in flight holds its code's lock until it commits, so after
    # this line every cast that will ever succeed has committed, and any later one waits here
    # and then finds its code void.
    list(VoterCode.objects.select_for_update().filter(session=locked).values_list("pk"))
    cast = Ballot.objects.filter(session=locked).count()
    # Paper ballots are counted after close: none is ever cast here, so there is nothing to ask.
    if cast == 0 and not confirm_empty and locked.mode == VotingSession.Mode.ELECTRONIC:
        raise refuse(MSG_EMPTY_CLOSE, "empty")
    issued = VoterCode.objects.filter(
        session=locked, state__in=[State.ACTIVE, State.USED], epoch=locked.ready_count
    ).count()
    # Handed-out slips stay counted as issued ("unused"); no state but "active" can cast, so
    # every code is now dead.
    VoterCode.objects.filter(session=locked).update(
        state=Case(
            When(state=State.USED, then=Value(State.USED)),
            When(state=State.ACTIVE, epoch=locked.ready_count, then=Value(State.UNUSED)),
            default=Value(State.VOID),
        )
    )
    storage.rows_shuffle(locked)
    counted = {}
    if locked.mode == VotingSession.Mode.ELECTRONIC:
        # The counts' digest goes into the signed close event: certification checks the marks
        # against it even if the kept counts were deleted, or none were (no ballot at close).
        counted = {"counts_sha256": counts_digest(counts_keep(locked))}
    session_transition(locked, Status.CLOSED, also=session)
    audit_record(
        session=locked, actor=actor, action="voting_closed", cast=cast, issued=issued, **counted
    )
    transaction.on_commit(partial(storage.storage_compact, before=storage.close_horizon()))
    return True


def counts_keep(session: VotingSession) -> dict[tuple[int, str], int]:
    """Count the closed session's marks once and keep the counts (models.ClosingCount).

    In the close's transaction, with every code locked: no ballot can follow. The counts.
    """
    counts = marks_count(session)
    ClosingCount.objects.filter(session=session).delete()
    ClosingCount.objects.bulk_create(
        ClosingCount(session=session, candidate_id=candidate_id, level=level, count=n)
        for (candidate_id, level), n in counts.items()
    )
    return counts


# --- Casting: ballots/voting.py (the voter's path), named here for the callers of services. ---
