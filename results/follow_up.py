"""Who a certified rating puts to a vote of confidence (bỏ phiếu tín nhiệm), read from the
certified results only.

A person is concerned when their band calls for it (`Band.follow_up`, data on the regimes in
sessions/regimes.py), or when the regime's multi-year rule applies: under NQ 35/2012/QH13 more
than half low two years in a row (`Regime.repeat_bands`), compared with the same official's
certified rating of the year before under the same regime. A recorded resignation (xin từ
chức) takes them out. The writes are in follow_up_services.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sessions.models import CERTIFIED, Candidate, VotingSession

from .frozen import AlteredRecord, session_result
from .models import FollowUp, Resignation
from .selectors import OfficialResult
from .tally import CandidateResult, SessionResult


@dataclass(frozen=True)
class BandedLine:
    """A person in a band of a certified rating, and what follows for the follow-up vote."""

    line: CandidateResult
    calls: bool  # their band calls for a vote of confidence
    repeated: bool  # the multi-year rule: in a band the year before too (NQ 35/2012)
    resignation: Resignation | None

    @property
    def official_id(self) -> int:
        return self.line.candidate.official_id

    @property
    def concerned(self) -> bool:
        """Put to the follow-up vote: called for by the band or the multi-year rule."""
        return self.calls or self.repeated

    @property
    def to_vote(self) -> bool:
        """Concerned, and has not resigned."""
        return self.concerned and self.resignation is None


def repeated_officials(session: VotingSession, official_ids: set[int]) -> set[int]:
    """Of `official_ids`, those in a band of the regime's multi-year rule in a certified rating
    of the year before, under the same regime (empty where the regime has no such rule)."""
    rules = session.rules
    if not rules.regime.repeat_bands or rules.vote_of_confidence or not official_ids:
        return set()
    earlier = (
        Candidate.objects.filter(
            official_id__in=official_ids,
            excluded=False,
            session__regime=session.regime,
            session__procedure=session.procedure,
            session__status__in=CERTIFIED,
            session__date__year=session.date.year - 1,
        )
        .exclude(session=session)
        .select_related("session__organization")
    )
    found: set[int] = set()
    results: dict[int, SessionResult | None] = {}
    for candidacy in earlier:
        if candidacy.session_id not in results:
            try:
                results[candidacy.session_id] = session_result(candidacy.session)
            except AlteredRecord:  # logged there; an altered record proves nothing
                results[candidacy.session_id] = None
        result = results[candidacy.session_id]
        if result is None:
            continue
        line = next((ln for ln in result.candidates if ln.candidate.pk == candidacy.pk), None)
        if line is not None and line.band is not None and rules.repeat_band(line.band_code):
            found.add(candidacy.official_id)
    return found


def banded_lines(session: VotingSession, result: SessionResult) -> list[BandedLine]:
    """Everyone in a band of a certified session, in ballot order (empty before certification:
    a follow-up is decided on certified results only)."""
    if not session.is_certified:
        return []
    rules = session.rules
    lines = result.banded
    repeat = {line.candidate.official_id for line in lines if rules.repeat_band(line.band_code)}
    repeated = repeated_officials(session, repeat)
    resignations = {
        r.candidate_id: r
        for r in Resignation.objects.filter(candidate_id__in=[ln.candidate.pk for ln in lines])
    }
    return [
        BandedLine(
            line=line,
            calls=rules.calls_for_follow_up(line.band_code),
            repeated=line.candidate.official_id in repeated,
            resignation=resignations.get(line.candidate.pk),
        )
        for line in lines
    ]


@dataclass(frozen=True)
class FollowUpPanel:
    """What the results page shows about the follow-up vote of a certified rating."""

    lines: list[BandedLine]
    follow_up: FollowUp | None

    @property
    def to_vote(self) -> list[BandedLine]:
        return [line for line in self.lines if line.to_vote]

    @property
    def can_create(self) -> bool:
        return self.follow_up is None and bool(self.to_vote)


def follow_up_panel(session: VotingSession, result: SessionResult) -> FollowUpPanel | None:
    """None where there is nothing to show: not certified, or nobody in a band."""
    lines = banded_lines(session, result)
    if not lines:
        return None
    follow_up = FollowUp.objects.filter(origin=session).select_related("session").first()
    return FollowUpPanel(lines, follow_up)


def follow_up_rows(session: VotingSession) -> list[BandedLine]:
    """The banded lines of a certified session from its certified result."""
    return banded_lines(session, session_result(session))


@dataclass(frozen=True)
class HistoryRow:
    """A row of an official's history with what the follow-up adds: a resignation recorded
    against it, and the multi-year rule (certified results only)."""

    row: OfficialResult
    resignation: Resignation | None
    repeated: bool


def history_rows(official_id: int, history: list[OfficialResult]) -> list[HistoryRow]:
    """The official's history (results.selectors.official_history) with resignations and the
    multi-year flag, row by row."""
    candidate_ids = [r.line.candidate.pk for r in history if r.line is not None]
    resignations = {
        r.candidate_id: r for r in Resignation.objects.filter(candidate_id__in=candidate_ids)
    }
    rows = []
    for r in history:
        line = r.line
        repeated = (
            line is not None
            and line.band is not None
            and r.session.is_certified
            and r.session.rules.repeat_band(line.band_code)
            and official_id in repeated_officials(r.session, {official_id})
        )
        resignation = resignations.get(line.candidate.pk) if line is not None else None
        rows.append(HistoryRow(r, resignation, repeated))
    return rows
