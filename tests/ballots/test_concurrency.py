"""Real concurrency: threads with their own database connections, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from ballots import services
from ballots.models import Ballot, BallotManager, Mark, VoterCode
from tests.factories import full_choices, open_session, post_form

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(workers: list[Callable[[], object]]) -> list[object]:
    """Start every worker at the same instant; collect what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(index: int, work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _submit(code: str, choices: dict[str, str]) -> int:
    return post_form(Client(), reverse("ballots:cast"), {"code": code, **choices}).status_code


def test_twenty_four_devices_racing_with_one_code_store_exactly_one_ballot(cast_tx):
    codes = open_session(cast_tx.session, cast_tx.secretariat, codes=3, activate=1)
    choices = full_choices(cast_tx.session)
    statuses = run_together([lambda: _submit(codes[0], choices) for _ in range(24)])
    assert statuses.count(302) == 1, statuses
    assert set(statuses) <= {302, 409}, statuses  # everyone else: "already recorded"
    assert Ballot.objects.count() == 1
    assert Mark.objects.count() == 3


def test_many_codes_cast_in_parallel_all_count_once(cast_tx):
    session = cast_tx.session
    codes = open_session(session, cast_tx.secretariat, codes=30, activate=30)
    choices = full_choices(session, "medium")
    statuses = run_together([lambda c=c: _submit(c, choices) for c in codes])
    successes = statuses.count(302)
    assert successes == 30, statuses
    used = VoterCode.objects.filter(session=session, state="used").count()
    ballots = Ballot.objects.filter(session=session).count()
    assert ballots == used == successes
    assert Mark.objects.filter(ballot__session=session).count() == ballots * 3


def test_closing_while_ballots_arrive_leaves_no_half_ballot(cast_tx):
    session = cast_tx.session
    codes = open_session(session, cast_tx.secretariat, codes=20, activate=20)
    choices = full_choices(session)

    def close() -> bool:
        return services.session_close(
            actor=cast_tx.secretariat, session=session, confirm_empty=True
        )

    results = run_together([lambda c=c: _submit(c, choices) for c in codes] + [close])
    statuses = results[:-1]
    assert results[-1] is True
    assert set(statuses) <= {302, 403}, statuses
    ballots = Ballot.objects.filter(session=session).count()
    assert ballots == statuses.count(302)
    assert ballots == VoterCode.objects.filter(session=session, state="used").count()
    assert Mark.objects.filter(ballot__session=session).count() == ballots * 3
    assert not VoterCode.objects.filter(session=session, state="active").exists()


def test_a_cast_committing_while_close_waits_for_its_code_does_not_deadlock(cast_tx):
    """Close locks the session, then waits for the code row a cast holds; the cast's commit
    checks its ballot's foreign key to that same session row. With FOR UPDATE on the session
    the two deadlocked (PostgreSQL killed one: a 503 to the voter). The cast is held open after
    its ballot is written: on SQLite inside its own transaction (after `store`), on PostgreSQL,
    where the cast is one statement, inside a transaction around it."""
    session = cast_tx.session
    codes = open_session(session, cast_tx.secretariat, codes=2, activate=2)
    choices = {int(k[1:]): v for k, v in full_choices(session).items()}
    stored, release = threading.Event(), threading.Event()
    real_store = BallotManager.store

    def held_open() -> None:
        stored.set()
        release.wait(timeout=30)

    def paused_store(self, **kwargs):
        ballot = real_store(self, **kwargs)
        held_open()
        return ballot

    def cast() -> None:
        if connections["default"].vendor != "postgresql":
            services.ballot_cast(raw=codes[0], choices=choices)
            return
        with transaction.atomic():
            services.ballot_cast(raw=codes[0], choices=choices)
            held_open()

    def close() -> bool:
        assert stored.wait(timeout=30)
        return services.session_close(actor=cast_tx.secretariat, session=session)

    def release_later() -> None:
        stored.wait(timeout=30)
        time.sleep(1.0)  # close has locked the session and waits for the cast's code row
        release.set()

    with mock.patch.object(BallotManager, "store", paused_store):
        started = time.monotonic()
        results = run_together([cast, close, release_later])
    assert stored.is_set()  # the cast really was held open while the close waited
    assert time.monotonic() - started < 20  # released after 1 s, not by a timeout
    assert results[0] is None, results  # the cast committed
    assert results[1] is True, results  # and the close after it
    assert Ballot.objects.filter(session=session).count() == 1
    assert VoterCode.objects.filter(session=session, state="used").count() == 1
