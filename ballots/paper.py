"""Paper: ballot-by-ballot entry (single or double), the committee's figures, the tally sheet.

Entered ballots are stored like electronic ones: a random id and the marks, no order, no time,
no person. When an entry is finished its ballots are rewritten in random order.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sessions.models import Official, Organization, VotingSession
from sessions.services import audit_record, lock_session, refuse, session_create_counted

from .models import BLANK, Ballot, CountSheet, PaperEntry, TallyCount
from .storage import ballots_rewrite, close_horizon, storage_compact
from .tally_file import TallyRow

Mode = VotingSession.Mode

MSG_NOT_CLOSED = gettext_noop("Paper ballots are entered after voting has closed.")
MSG_NOT_PAPER = gettext_noop("This session is not counted from paper ballots.")
MSG_NEED_A = gettext_noop("Finish the first entry before the second one starts.")
MSG_SAME_PERSON = gettext_noop(
    "The second entry must be made by another committee member than the first."
)
MSG_SAME_PERSON_AS_B = gettext_noop(
    "You typed entry B: entry A must be typed by another committee member, so that B checks it."
)
MSG_NOT_ENTRANT = gettext_noop("Only the committee member who started this entry types into it.")
MSG_ENTRY_DONE = gettext_noop("This entry is finished; discard it to enter the pile again.")
MSG_BAD_BALLOT = gettext_noop("Give exactly one choice (or blank) for every person on the ballot.")
MSG_LOCKED = gettext_noop("The results are certified; nothing can change any more.")


def _lock_counting(session: VotingSession, mode: str) -> VotingSession:
    locked = lock_session(session)
    if locked.mode != mode:
        raise refuse(MSG_NOT_PAPER, "not_paper")
    if locked.is_certified:
        raise refuse(MSG_LOCKED, "locked")
    if not locked.is_closed:
        raise refuse(MSG_NOT_CLOSED, "not_closed")
    return locked


# --- Ballot-by-ballot entry -------------------------------------------------------------------


@transaction.atomic(durable=True)
def paper_entry_start(
    *, actor: AbstractBaseUser, session: VotingSession, label: str = "A"
) -> PaperEntry:
    """Start (or resume) a pass through the pile. B is the optional independent second pass."""
    locked = _lock_counting(session, Mode.PAPER_BALLOTS)
    existing = PaperEntry.objects.filter(session=locked, label=label).first()
    if existing is not None:
        return existing
    if label == "B":
        first = PaperEntry.objects.filter(session=locked, label="A").first()
        if first is None or first.state != PaperEntry.State.DONE:
            raise refuse(MSG_NEED_A, "need_a")
        if first.entrant_id == actor.pk:
            raise refuse(MSG_SAME_PERSON, "same_person")
    else:
        # A typed again after a discard, while B stays: still two different people.
        second = PaperEntry.objects.filter(session=locked, label="B").first()
        if second is not None and second.entrant_id == actor.pk:
            raise refuse(MSG_SAME_PERSON_AS_B, "same_person")
    entry = PaperEntry.objects.create(session=locked, label=label, entrant=actor)
    audit_record(session=locked, actor=actor, action="paper_entry_started", label=label)
    return entry


def _lock_entry(entry: PaperEntry, actor: AbstractBaseUser) -> tuple[VotingSession, PaperEntry]:
    """Lock an open pass for typing into it, by its own entrant only: the two passes of a
    double entry must stay independent (code "not_entrant" otherwise)."""
    locked = _lock_counting(entry.session, Mode.PAPER_BALLOTS)
    current = PaperEntry.objects.get(pk=entry.pk, session=locked)
    if current.entrant_id != actor.pk:
        raise refuse(MSG_NOT_ENTRANT, "not_entrant")
    if current.state != PaperEntry.State.OPEN:
        raise refuse(MSG_ENTRY_DONE, "entry_done")
    return locked, current


@transaction.atomic(durable=True)
def paper_ballot_add(
    *,
    actor: AbstractBaseUser,
    entry: PaperEntry,
    choices: Mapping[int, str],
    whole_invalid: bool = False,
) -> Ballot:
    """Store one paper ballot as read: a level or blank/invalid per person, or wholly invalid."""
    locked, current = _lock_entry(entry, actor)
    if not whole_invalid:
        on_ballot = set(locked.candidates.on_ballot().values_list("pk", flat=True))
        allowed = {value for value, _label in locked.levels()} | {BLANK}
        if set(choices) != on_ballot or any(v not in allowed for v in choices.values()):
            raise refuse(MSG_BAD_BALLOT, "bad_ballot")
    ballot = Ballot.objects.store(
        session_id=locked.pk, choices=choices, entry=current, whole_invalid=whole_invalid
    )
    return ballot


@transaction.atomic(durable=True)
def paper_ballot_remove(
    *, actor: AbstractBaseUser, entry: PaperEntry, ballot_id: uuid.UUID
) -> bool:
    """Undo a ballot just typed (the page remembers its id for a moment, the database does not)."""
    _locked, current = _lock_entry(entry, actor)
    deleted, _ = Ballot.objects.filter(pk=ballot_id, entry=current).delete()
    return deleted > 0


@transaction.atomic(durable=True)
def paper_entry_finish(*, actor: AbstractBaseUser, entry: PaperEntry) -> None:
    """Close a pass and rewrite its ballots in random order, so typing order is gone too."""
    locked, current = _lock_entry(entry, actor)
    count = ballots_rewrite(Ballot.objects.filter(entry=current))
    # The typing order's old row versions go the way of the close's (storage.py).
    transaction.on_commit(partial(storage_compact, before=close_horizon()))
    PaperEntry.objects.filter(pk=current.pk).update(state=PaperEntry.State.DONE)
    audit_record(
        session=locked,
        actor=actor,
        action="paper_entry_finished",
        label=current.label,
        count=count,
    )


@transaction.atomic(durable=True)
def paper_entry_discard(*, actor: AbstractBaseUser, entry: PaperEntry) -> int:
    """Throw one pass and its ballots away to type the pile again; the other pass stays.

    B never becomes the count: only A's ballots are counted (results.tally.counted_ballots) and
    nothing is reconciled without an A, so a B kept alone just waits to check the new A, which
    its own entrant may not type (paper_entry_start). Returns the number of ballots thrown away.
    """
    locked = _lock_counting(entry.session, Mode.PAPER_BALLOTS)
    current = PaperEntry.objects.get(pk=entry.pk, session=locked)
    count = Ballot.objects.filter(entry=current).count()
    current.delete()
    audit_record(
        session=locked, actor=actor, action="paper_entry_discarded", label=entry.label, count=count
    )
    return count


# --- Figures and tally sheet ------------------------------------------------------------------


@dataclass
class TallyInput:
    """What a tally sheet says. counts[(candidate_id, level)], level "invalid" included."""

    collected: int | None
    whole_invalid: int = 0
    issued: int | None = None
    present: int | None = None
    summoned: int | None = None
    explanation: str = ""
    counts: dict[tuple[int, str], int] = field(default_factory=dict)


def tally_problems(
    *, levels: list[str], candidates: list[int], summoned: int, data: TallyInput
) -> dict[str, list[str]]:
    """Every check of a tally sheet; keys name the field: "collected", "n_<id>_<level>", ..."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    collected, whole_invalid = data.collected, data.whole_invalid
    if collected is None:
        add("collected", _("Enter the number of ballots collected."))
        return problems
    if whole_invalid > collected:
        add("whole_invalid", _("More invalid ballots than ballots collected."))
    if data.issued is not None and collected > data.issued:
        add(
            "collected",
            _("%(collected)d ballots collected but only %(issued)d issued.")
            % {"collected": collected, "issued": data.issued},
        )
    if summoned and data.issued is not None and data.issued > summoned and not data.explanation:
        add(
            "issued",
            _(
                "%(issued)d ballots issued for %(summoned)d people summoned: explain why below, "
                "or correct the figure."
            )
            % {"issued": data.issued, "summoned": summoned},
        )
    if summoned and data.present is not None and data.present > summoned:
        add(
            "present",
            _("%(present)d present but only %(summoned)d summoned.")
            % {"present": data.present, "summoned": summoned},
        )
    valid = collected - whole_invalid
    for candidate_id in candidates:
        total = 0
        for level in [*levels, "invalid"]:
            n = data.counts.get((candidate_id, level), 0)
            if n > collected:
                add(
                    f"n_{candidate_id}_{level}",
                    _("Larger than the %(collected)d ballots collected.")
                    % {"collected": collected},
                )
            total += n
        if total != valid:
            add(
                f"n_{candidate_id}_invalid",
                _(
                    "The levels and invalid lines add up to %(total)d; they must equal the "
                    "%(valid)d valid ballots (collected minus whole-ballot invalid)."
                )
                % {"total": total, "valid": valid},
            )
    return problems


@transaction.atomic(durable=True)
def count_sheet_save(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    present: int | None,
    issued: int | None,
    explanation: str = "",
) -> CountSheet:
    """Figures only the committee knows for paper ballots: present (without check-in), issued."""
    locked = _lock_counting(session, Mode.PAPER_BALLOTS)
    summoned = locked.voters.count()
    collected = Ballot.objects.filter(session=locked, entry__label="A").count()
    problems = tally_problems(
        levels=[],
        candidates=[],
        summoned=summoned,
        data=TallyInput(
            collected=collected, issued=issued, present=present, explanation=explanation
        ),
    )
    if problems:
        raise ValidationError(problems)
    sheet, _ = CountSheet.objects.update_or_create(
        session=locked,
        defaults={"present": present, "issued": issued, "explanation": explanation},
    )
    audit_record(
        session=locked, actor=actor, action="figures_saved", present=present, issued=issued
    )
    return sheet


def _write_tally(session: VotingSession, data: TallyInput) -> None:
    CountSheet.objects.update_or_create(
        session=session,
        defaults={
            "present": data.present,
            "issued": data.issued,
            "collected": data.collected,
            "whole_invalid": data.whole_invalid,
            "summoned": data.summoned,
            "explanation": data.explanation,
        },
    )
    TallyCount.objects.filter(session=session).delete()
    TallyCount.objects.bulk_create(
        [
            TallyCount(session=session, candidate_id=candidate_id, level=level, count=n)
            for (candidate_id, level), n in sorted(data.counts.items())
        ]
    )


@transaction.atomic(durable=True)
def tally_save(*, actor: AbstractBaseUser, session: VotingSession, data: TallyInput) -> None:
    """Store a whole tally sheet, or nothing if any check fails."""
    locked = _lock_counting(session, Mode.PAPER_TALLY)
    candidates = list(locked.candidates.on_ballot().values_list("pk", flat=True))
    summoned = locked.voters.count() or (data.summoned or 0)
    problems = tally_problems(
        levels=[v for v, _l in locked.levels()],
        candidates=candidates,
        summoned=summoned,
        data=data,
    )
    if problems:
        raise ValidationError(problems)
    _write_tally(locked, data)
    audit_record(
        session=locked,
        actor=actor,
        action="tally_saved",
        collected=data.collected,
        whole_invalid=data.whole_invalid,
        issued=data.issued,
    )


# --- Import of a whole closed session ---------------------------------------------------------


def system_user() -> AbstractBaseUser:
    """The actor of command-line imports in the audit trail (cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(
        username="tinnhiem-system", defaults={"is_active": False, "first_name": "tinnhiem"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic(durable=True)
def tally_import(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    title: str,
    regime: str,
    procedure: str,
    date: datetime.date,
    rows: list[TallyRow],
    collected: int,
    issued: int | None = None,
    summoned: int | None = None,
    present: int | None = None,
    place: str = "",
    subject: str = "",
    start_time: datetime.time | None = None,
    committee: Sequence[tuple[str, str, str]] = (),
    links: Mapping[int, Official] | None = None,
) -> VotingSession:
    """Create a closed "paper tally" session with its candidates and counts, ready to certify.
    `links` (file line → one of this body's officials, from ballots.tally_matching) says whose
    history a row continues; a row without one becomes a new official.

    What the sheet does not say stays unknown (None or empty, never 0 or a dash) and can be
    filled in on the session's pages until certification."""
    ordered = sorted(rows, key=lambda r: (r.order is None, r.order or 0, r.line))
    session, candidates = session_create_counted(
        organization=organization,
        lines=[(row.full_name, row.position or "—") for row in ordered],
        officials=[(links or {}).get(row.line) for row in ordered],
        committee=committee,
        title=title,
        subject=subject,
        date=date,
        start_time=start_time,
        place=place,
        regime=regime,
        procedure=procedure,
        mode=Mode.PAPER_TALLY,
    )
    if start_time is not None:  # the import's start time is when the count began (minutes)
        VotingSession.objects.filter(pk=session.pk).update(count_started_at=start_time)
        session.count_started_at = start_time
    data = TallyInput(collected=collected, issued=issued, summoned=summoned, present=present)
    for row, candidate in zip(ordered, candidates, strict=True):
        for level, n in row.counts.items():
            data.counts[(candidate.pk, level)] = n
        data.counts[(candidate.pk, "invalid")] = (
            row.invalid if row.invalid is not None else collected - sum(row.counts.values())
        )
    _write_tally(session, data)
    audit_record(
        session=session,
        actor=actor,
        action="tally_imported",
        collected=collected,
        issued=issued,
        summoned=summoned,
        present=present,
        committee=len(committee),
        candidates=len(rows),
    )
    return session
