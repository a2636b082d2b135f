"""Checks that higher apps add to a session's audit check (verify_audit and the audit page).

`sessions` imports neither `ballots` nor `results` (dependencies point one way), so `results`
registers the check of its frozen documents here when the app is ready.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import VotingSession

SessionCheck = Callable[[VotingSession], list[str]]
_checks: list[SessionCheck] = []


def register(check: SessionCheck) -> SessionCheck:
    if check not in _checks:
        _checks.append(check)
    return check


def session_problems(session: VotingSession) -> list[str]:
    """What the registered checks find wrong with a session, described (empty: nothing)."""
    return [problem for check in _checks for problem in check(session)]
