"""Reads for the desk, the projector and the code page. Never a result while voting is open."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from sessions.models import VotingSession
from sessions.selectors import Quorum, quorum

from .models import VoterCode

State = VoterCode.State


@dataclass(frozen=True)
class Turnout:
    quorum: Quorum
    printed: int  # codes of the current printing
    issued: int  # slips activated at the desk: the ballots issued
    cast: int  # codes used: the ballots cast


def turnout(session: VotingSession) -> Turnout:
    counts = VoterCode.objects.filter(session=session, epoch=session.ready_count).aggregate(
        printed=Count("pk", filter=~Q(state=State.VOID)),
        issued=Count("pk", filter=Q(state__in=[State.ACTIVE, State.USED, State.UNUSED])),
        cast=Count("pk", filter=Q(state=State.USED)),
    )
    return Turnout(quorum=quorum(session), **counts)
