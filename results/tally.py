"""The tally: exact figures for a session, whatever the mode, in a constant number of queries.

Counts are the source of truth; percentages are derived, rounded half up to two decimals, over
the regime's denominator (ballots collected, or all summoned under the legacy nq85).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from ballots.models import Ballot, CountSheet, Mark, TallyCount, VoterCode
from ballots.selectors import closing_counts, marks_by_person, marks_count
from sessions.models import Candidate, VotingSession
from sessions.regimes import Band, quorum_met
from sessions.selectors import ballot_candidates

if TYPE_CHECKING:
    from .frozen import FrozenBand, FrozenCandidate

Mode = VotingSession.Mode
CENT = Decimal("0.01")


def percent(count: int, denominator: int) -> Decimal:
    """count / denominator as a percentage, rounded half up to two decimals (0 when N is 0)."""
    if denominator <= 0:
        return Decimal("0.00")
    return (Decimal(count) * 100 / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LevelResult:
    level: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class CandidateResult:
    candidate: Candidate | FrozenCandidate  # live while closed, as certified afterwards
    number: int  # STT on the ballot
    levels: list[LevelResult]
    invalid: int  # blank or spoiled lines, whole-ballot invalid ballots not included
    invalid_percent: Decimal
    band: Band | FrozenBand | None

    @property
    def band_code(self) -> str:
        return self.band.code if self.band else "none"


@dataclass(frozen=True)
class SessionResult:
    session: VotingSession
    summoned: int
    present: int | None
    issued: int | None
    collected: int
    whole_invalid: int
    denominator: int
    candidates: list[CandidateResult]

    @property
    def valid(self) -> int:
        return self.collected - self.whole_invalid

    @property
    def absent(self) -> int | None:
        return None if self.present is None else self.summoned - self.present

    @property
    def banded(self) -> list[CandidateResult]:
        return [line for line in self.candidates if line.band]

    @property
    def quorum_met(self) -> bool:
        return self.present is not None and quorum_met(present=self.present, summoned=self.summoned)


def _figures(session: VotingSession) -> tuple[int, int | None, int | None, int, int]:
    """summoned, present, issued, collected, whole-ballot invalid."""
    sheet = CountSheet.objects.filter(session=session).first()
    voters = session.voters.aggregate(n=Count("pk"), present=Count("pk", filter=Q(present=True)))
    summoned = voters["n"] or (sheet.summoned if sheet and sheet.summoned else 0)
    # Without a voter list (imported results) presence is known only if the sheet says so.
    present: int | None = voters["present"] if voters["n"] else None
    if sheet and sheet.present is not None:
        present = sheet.present
    if session.mode == Mode.PAPER_TALLY:
        collected = sheet.collected if sheet and sheet.collected is not None else 0
        whole_invalid = sheet.whole_invalid if sheet and sheet.whole_invalid is not None else 0
        issued = sheet.issued if sheet else None
        return summoned, present, issued, collected, whole_invalid
    ballots = counted_ballots(session).aggregate(
        collected=Count("pk"), whole_invalid=Count("pk", filter=Q(whole_invalid=True))
    )
    if session.mode == Mode.ELECTRONIC:
        issued = VoterCode.objects.filter(
            session=session,
            epoch=session.ready_count,
            state__in=[VoterCode.State.ACTIVE, VoterCode.State.USED, VoterCode.State.UNUSED],
        ).count()
    else:
        issued = sheet.issued if sheet else None
    return summoned, present, issued, ballots["collected"], ballots["whole_invalid"]


def counted_ballots(session: VotingSession):
    """Electronic ballots, or the paper ballots of entry A (B only ever checks A)."""
    if session.mode == Mode.PAPER_BALLOTS:
        return Ballot.objects.filter(session=session, entry__label="A")
    return Ballot.objects.filter(session=session)


def _counts(session: VotingSession) -> dict[tuple[int, str], int]:
    if session.mode == Mode.PAPER_TALLY:
        rows = TallyCount.objects.filter(session=session).values_list(
            "candidate_id", "level", "count"
        )
        return {(candidate_id, level): n for candidate_id, level, n in rows}
    if session.mode == Mode.ELECTRONIC:
        # Counted once at close; live only for a session closed before counts were kept.
        return closing_counts(session) or marks_count(session)
    # The ballots joined once: `ballot__in=counted_ballots(session)` joined them twice (issue 15).
    return marks_by_person(
        Mark.objects.filter(
            ballot__session=session, ballot__whole_invalid=False, ballot__entry__label="A"
        )  # as counted_ballots: B only ever checks A
    )


def result_compute(session: VotingSession) -> SessionResult:
    """Every figure of a session's result under its regime and procedure."""
    rules = session.rules
    summoned, present, issued, collected, whole_invalid = _figures(session)
    denominator = summoned if rules.over_summoned else collected
    counts = _counts(session)
    candidates = ballot_candidates(session)
    valid = collected - whole_invalid
    results = []
    for number, candidate in enumerate(candidates, start=1):
        level_results = [
            LevelResult(level, n, percent(n, denominator))
            for level in rules.level_values
            for n in [counts.get((candidate.pk, level), 0)]
        ]
        if session.mode == Mode.PAPER_TALLY:
            invalid = counts.get((candidate.pk, "invalid"), 0)
        else:
            invalid = valid - sum(lr.count for lr in level_results)
        results.append(
            CandidateResult(
                candidate=candidate,
                number=number,
                levels=level_results,
                invalid=invalid,
                invalid_percent=percent(invalid, denominator),
                band=rules.band(
                    against=counts.get((candidate.pk, rules.against), 0),
                    denominator=denominator,
                ),
            )
        )
    return SessionResult(
        session=session,
        summoned=summoned,
        present=present,
        issued=issued,
        collected=collected,
        whole_invalid=whole_invalid,
        denominator=denominator,
        candidates=results,
    )
