"""Exclusions proposed when an official is put on a session's list.

Not rated: a person elected or appointed in the year of the rating (domain.md, "Not rated").
Sessions does not know the posts people hold with their dates; the app that keeps them
(`people`) registers a proposer from its AppConfig.ready(). `candidate_add` asks them and puts
the person on the list already marked not rated, with the reason; the secretariat sees it on
the candidates page and may edit the line to rate them after all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Official, VotingSession


@dataclass(frozen=True)
class Proposal:
    reason: str  # a Candidate.ExclusionReason
    note: str


Proposer = Callable[[VotingSession, Official], Proposal | None]

_PROPOSERS: list[Proposer] = []


def register_exclusion_proposer(proposer: Proposer) -> None:
    if proposer not in _PROPOSERS:
        _PROPOSERS.append(proposer)


def proposed_exclusion(session: VotingSession, official: Official) -> Proposal | None:
    """The first registered proposal for this official on this session's list, if any."""
    for proposer in _PROPOSERS:
        proposal = proposer(session, official)
        if proposal is not None:
            return proposal
    return None
