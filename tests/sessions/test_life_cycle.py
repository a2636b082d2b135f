"""The life-cycle table: the only moves a session's status can make, and the one writer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from sessions.models import Status, VotingSession
from sessions.services import (
    TRANSITIONS,
    lock_session,
    session_new,
    session_transition,
)

S = Status


def _force(session: VotingSession, status: str) -> None:
    """Put a session in a status directly (a test's shortcut, never the app's)."""
    VotingSession.objects.filter(pk=session.pk).update(status=status, voter_list_sha256="f" * 64)
    session.refresh_from_db()


def test_the_table_is_the_life_cycle():
    assert set(TRANSITIONS) == {
        (None, S.DRAFT),
        (None, S.CLOSED),
        (S.DRAFT, S.READY),
        (S.READY, S.DRAFT),
        (S.READY, S.OPEN),
        (S.OPEN, S.CLOSED),
        (S.CLOSED, S.CERTIFIED),
        (S.CERTIFIED, S.PUBLISHED),
        (S.PUBLISHED, S.CERTIFIED),
    }


@pytest.mark.parametrize("current", S.values)
def test_a_move_the_table_does_not_have_is_refused_and_writes_nothing(cast, current):
    session = cast.session
    _force(session, current)
    for wanted in S.values:
        if (current, wanted) in TRANSITIONS:
            continue
        with pytest.raises(ValidationError) as excinfo:
            session_transition(lock_session(session), wanted)
        assert excinfo.value.code == "transition"
        session.refresh_from_db()
        assert session.status == current


def test_a_move_writes_the_status_and_its_fields_into_both_copies(cast):
    session = cast.session
    locked = lock_session(session)
    session_transition(
        locked, S.READY, also=session, voter_list_sha256="a" * 64, ready_count=F("ready_count") + 1
    )
    stored = VotingSession.objects.get(pk=session.pk)
    assert (stored.status, stored.voter_list_sha256, stored.ready_count) == (S.READY, "a" * 64, 1)
    for copy in (locked, session):
        assert (copy.status, copy.voter_list_sha256, copy.ready_count) == (S.READY, "a" * 64, 1)


def test_a_stale_copy_cannot_move_a_session_someone_else_moved(cast):
    session = cast.session
    _force(session, S.READY)
    stale = VotingSession.objects.get(pk=session.pk)
    _force(session, S.OPEN)  # meanwhile, voting opened
    with pytest.raises(ValidationError) as excinfo:
        session_transition(stale, S.DRAFT)
    assert excinfo.value.code == "transition"
    session.refresh_from_db()
    assert session.status == S.OPEN


def test_a_session_starts_life_only_as_a_draft_or_already_counted(cast):
    assert session_new(status=S.DRAFT).status == S.DRAFT
    assert session_new(status=S.CLOSED).status == S.CLOSED
    for status in (S.READY, S.OPEN, S.CERTIFIED, S.PUBLISHED):
        with pytest.raises(ValidationError) as excinfo:
            session_new(status=status)
        assert excinfo.value.code == "transition"
