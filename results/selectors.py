"""Results across sessions: an official over the years, and a leader's overview."""

from __future__ import annotations

from dataclasses import dataclass

from sessions.access import AnyUser, sessions_for
from sessions.models import Candidate, Official, VotingSession

from .access import COUNTED, can_see_results
from .frozen import session_result
from .tally import CandidateResult, SessionResult

SORTS = {"order", "name", "high", "medium", "low", "yes", "no", "invalid"}


def sorted_lines(result: SessionResult, key: str, *, descending: bool) -> list[CandidateResult]:
    """The results table sorted by a column: ballot order, name, a level's count, invalid."""
    if key == "name":
        return sorted(
            result.candidates,
            key=lambda line: line.candidate.official.full_name,
            reverse=descending,
        )
    if key == "invalid":
        return sorted(result.candidates, key=lambda line: line.invalid, reverse=descending)
    if key in SORTS - {"order"}:

        def count(line: CandidateResult) -> int:
            return next((lr.count for lr in line.levels if lr.level == key), 0)

        return sorted(result.candidates, key=count, reverse=descending)
    return sorted(result.candidates, key=lambda line: line.number, reverse=descending)


@dataclass(frozen=True)
class OfficialResult:
    session: VotingSession
    line: CandidateResult
    denominator: int


def official_history(user: AnyUser, official: Official) -> list[OfficialResult]:
    """Every session this official was rated in whose results the user may see, newest first."""
    history = []
    candidacies = (
        Candidate.objects.filter(official=official, excluded=False, session__status__in=COUNTED)
        .select_related("session__organization")
        .order_by("-session__date")
    )
    for candidacy in candidacies:
        session = candidacy.session
        if not can_see_results(user, session):
            continue
        result = session_result(session)
        line = next(line for line in result.candidates if line.candidate.pk == candidacy.pk)
        history.append(OfficialResult(session, line, result.denominator))
    return history


@dataclass(frozen=True)
class OverviewRow:
    session: VotingSession
    result: SessionResult | None  # None while voting has not closed


def overview(user: AnyUser) -> list[OverviewRow]:
    """Every session the user reads (a leader: the bodies below too), with who fell in a band."""
    rows = []
    for session in sessions_for(user).order_by("-date", "-pk"):
        result = session_result(session) if can_see_results(user, session) else None
        rows.append(OverviewRow(session, result))
    return rows
