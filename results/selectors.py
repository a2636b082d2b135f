"""Results across sessions: an official over the years, and a leader's overview."""

from __future__ import annotations

from dataclasses import dataclass

from sessions.access import AnyUser, sessions_for
from sessions.models import Candidate, Official, VotingSession

from .access import COUNTED, can_see_results
from .frozen import AlteredRecord, refuse, session_result
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
    line: CandidateResult | None  # None: the certified record failed its check
    denominator: int
    altered: bool = False


def official_history(user: AnyUser, official: Official) -> list[OfficialResult]:
    """Every session this official was rated in whose results the user may see, newest first.

    A session whose certified record fails its check keeps its row, marked altered and without
    figures (logged by session_result), so one bad record does not hide the others.
    """
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
        try:
            result = session_result(session)
        except AlteredRecord:
            history.append(OfficialResult(session, None, 0, altered=True))
            continue
        line = next(line for line in result.candidates if line.candidate.pk == candidacy.pk)
        if line.candidate.official.full_name != official.full_name:
            # Names on a certified record cannot be changed (services/registry.py): a name
            # changed behind the application's back must not head someone else's results.
            refuse(session, "the official's name differs from the certified record")
            history.append(OfficialResult(session, None, 0, altered=True))
            continue
        history.append(OfficialResult(session, line, result.denominator))
    return history


@dataclass(frozen=True)
class OverviewRow:
    session: VotingSession
    result: SessionResult | None  # None while voting has not closed
    altered: bool = False  # the certified record failed its check (logged): no figures shown


def overview(user: AnyUser) -> list[OverviewRow]:
    """Every session the user reads (a leader: the bodies below too), with who fell in a band."""
    rows = []
    for session in sessions_for(user).order_by("-date", "-pk"):
        if not can_see_results(user, session):
            rows.append(OverviewRow(session, None))
            continue
        try:
            rows.append(OverviewRow(session, session_result(session)))
        except AlteredRecord:
            rows.append(OverviewRow(session, None, altered=True))
    return rows
