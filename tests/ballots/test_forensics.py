"""After close, the raw database files say nothing about who voted when.

Read as a hostile database administrator would: the pages of every secret relation (heap,
indexes, TOAST) on PostgreSQL through pageinspect, the SQLite file and its WAL byte by byte.
A session of 40 voters checks in and casts one by one, each ballot recognizable by its pattern;
after close no pre-close ballot id, no transaction id of a check-in or a cast, and no storage
order that follows check-in or cast order may be left.

The PostgreSQL tests need a cluster where no other process keeps a write transaction open for
long (CI runs them alone): the close rightly waits for such a transaction, in any database, and
reports an ERROR if it outlasts the wait (ballots/storage.py, HOLDERS).
"""

from __future__ import annotations

import io
import itertools
import logging
import random
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from ballots import services, storage
from ballots.models import Ballot, Mark, VoterCode
from ballots.storage import SECRET_TABLES
from sessions import services as session_services
from sessions.models import Voter, VotingSession
from tests.factories import fill_session, full_choices, make_session, open_session

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 40
CANDIDATES = 6
LEVELS = ["high", "medium", "low", "blank"]


@dataclass
class Recorded:
    """What an observer saw while voting was open (the test's ground truth)."""

    session: VotingSession
    candidates: list[int]
    checkin_order: list[int] = field(default_factory=list)  # voter ids
    cast_patterns: list[tuple[str, ...]] = field(default_factory=list)  # marks, in cast order
    cast_codes: list[str] = field(default_factory=list)  # code hashes, in cast order
    ballot_ids: list[uuid.UUID] = field(default_factory=list)  # pre-close ids, in cast order
    xids: set[int] = field(default_factory=set)  # of check-ins, activations and casts


def _xmin(table: str, column: str, value) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE {column} = %s", [value])  # noqa: S608
        return int(cursor.fetchone()[0])


def _vote_one_by_one(cast, *, close: bool = True) -> Recorded:
    session = fill_session(
        make_session(cast.org, cast.secretariat),
        cast.secretariat,
        candidates=CANDIDATES,
        voters=VOTERS,
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    session.refresh_from_db()
    codes = services.codes_generate(actor=cast.secretariat, session=session, count=VOTERS)
    candidates = list(
        session.candidates.filter(excluded=False).order_by("order").values_list("pk", flat=True)
    )
    seen = Recorded(session=session, candidates=candidates)
    rng = random.Random(20261129)
    voters = list(session.voters.all())
    rng.shuffle(voters)
    # Every ballot gets its own pattern of levels, so it can be recognized after close.
    patterns = rng.sample(list(itertools.product(LEVELS, repeat=CANDIDATES)), VOTERS)

    def check_in(voter: Voter) -> None:
        services.voter_check_in(voter=voter, present=True)
        seen.checkin_order.append(voter.pk)
        seen.xids.add(_xmin("votesessions_voter", "id", voter.pk))

    for voter in voters[:30]:  # two thirds and more before opening, the rest while voting
        check_in(voter)
    services.session_open(actor=cast.secretariat, session=session)
    late = voters[30:]
    for index, (code, pattern) in enumerate(zip(codes, patterns, strict=True)):
        if index % 4 == 0 and late:
            check_in(late.pop())
        services.code_activate(session=session, raw=code)
        digest = VoterCode.objects.get(state="active").code_hash
        seen.xids.add(_xmin("ballots_votercode", "code_hash", digest))
        before = set(Ballot.objects.values_list("id", flat=True))
        services.ballot_cast(raw=code, choices=dict(zip(candidates, pattern, strict=True)))
        (ballot_id,) = set(Ballot.objects.values_list("id", flat=True)) - before
        seen.ballot_ids.append(ballot_id)
        seen.cast_patterns.append(tuple("invalid" if lv == "blank" else lv for lv in pattern))
        seen.cast_codes.append(digest)
        seen.xids.add(_xmin("ballots_ballot", "id", ballot_id))
        seen.xids.add(_xmin("ballots_votercode", "code_hash", digest))
    assert len(seen.checkin_order) == VOTERS
    if close:
        assert services.session_close(actor=cast.secretariat, session=session)
    return seen


def _storage_key() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def _concordance(order: list[int]) -> float:
    """Share of pairs stored in the same order as they happened (random: about ½)."""
    pairs = list(itertools.combinations(order, 2))
    return sum(1 for a, b in pairs if a < b) / len(pairs)


def _stored_order(seen: Recorded) -> dict[str, list[int]]:
    """Storage order of the session's rows, each row named by when it happened."""
    key = _storage_key()
    session = seen.session
    marks: dict[str, dict[int, str]] = {}
    for ballot_id, candidate_id, level in Mark.objects.filter(ballot__session=session).values_list(
        "ballot_id", "candidate_id", "level"
    ):
        marks.setdefault(str(ballot_id), {})[candidate_id] = level
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ballots_ballot WHERE session_id = %s ORDER BY {key}",  # noqa: S608
            [session.pk],
        )
        ballots = [str(uuid.UUID(str(row[0]))) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT code_hash FROM ballots_votercode WHERE session_id = %s "  # noqa: S608
            f"AND state = 'used' ORDER BY {key}",
            [session.pk],
        )
        codes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT id FROM votesessions_voter WHERE session_id = %s ORDER BY {key}",  # noqa: S608
            [session.pk],
        )
        voters = [row[0] for row in cursor.fetchall()]
    patterns = [tuple(marks[b][c] for c in seen.candidates) for b in ballots]
    return {
        "ballots": [seen.cast_patterns.index(p) for p in patterns],
        "codes": [seen.cast_codes.index(c) for c in codes],
        "voters": [seen.checkin_order.index(v) for v in voters],
    }


def test_after_close_storage_order_follows_neither_cast_nor_check_in_order(cast_tx):
    seen = _vote_one_by_one(cast_tx)
    stored = _stored_order(seen)
    assert sorted(stored["ballots"]) == list(range(VOTERS))  # every ballot is still there
    assert sorted(stored["codes"]) == list(range(VOTERS))
    assert sorted(stored["voters"]) == list(range(VOTERS))
    # Kendall's concordance of 40 random items: mean ½, standard deviation 0.055, so these
    # bounds are 4.5 deviations wide (a false alarm about once in 150,000 runs).
    for name, order in stored.items():
        assert 0.25 < _concordance(order) < 0.75, (name, _concordance(order), order)


# --- PostgreSQL: the pages themselves ---------------------------------------------------------


def _postgresql_superuser() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL pages")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("pageinspect needs a superuser (CI's postgres role is one)")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")


def _relations() -> list[tuple[str, str]]:
    """Every relation holding secret rows: the tables, their indexes, TOAST and its index."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.oid::regclass::text, c.relkind FROM pg_class c WHERE c.oid IN (
                SELECT t.oid FROM pg_class t WHERE t.relname = ANY(%(tables)s)
                UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                    WHERE t.relname = ANY(%(tables)s)
                UNION SELECT t.reltoastrelid FROM pg_class t
                    WHERE t.relname = ANY(%(tables)s) AND t.reltoastrelid <> 0
                UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                    WHERE t.oid IN (SELECT reltoastrelid FROM pg_class
                                    WHERE relname = ANY(%(tables)s))
            )
            """,
            {"tables": list(SECRET_TABLES)},
        )
        return cursor.fetchall()


def _pages(relation: str) -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [relation]
        )
        (count,) = cursor.fetchone()
        pages = []
        for block in range(count):
            cursor.execute("SELECT get_raw_page(%s, 'main', %s)", [relation, block])
            pages.append(bytes(cursor.fetchone()[0]))
        return pages


def _pre_close_traces(seen: Recorded) -> tuple[list, set[int]]:
    """Pre-close ballot ids found in any page, and pre-close transaction ids on any tuple."""
    relations = _relations()
    names = {name for name, _kind in relations}
    assert {"ballots_ballot", "ballots_mark", "ballots_votercode", "votesessions_voter"} <= names
    assert any(kind == "i" for _name, kind in relations)
    # None of these tables has a TOAST relation today (no column can outgrow a page); if one
    # ever does, _relations() lists it and it is scanned like the rest.
    found = []
    tuple_xids: set[int] = set()
    for name, kind in relations:
        pages = _pages(name)
        for ballot_id in seen.ballot_ids:
            if any(ballot_id.bytes in page for page in pages):
                found.append((name, ballot_id))
        if kind in ("r", "t"):
            with connection.cursor() as cursor:
                for block in range(len(pages)):
                    # Every line pointer, live or dead: what VACUUM alone would leave behind.
                    cursor.execute(
                        "SELECT t_xmin::text, t_xmax::text FROM "
                        "heap_page_items(get_raw_page(%s, 'main', %s))",
                        [name, block],
                    )
                    for xmin, xmax in cursor.fetchall():
                        tuple_xids |= {int(x) for x in (xmin, xmax) if x is not None}
    assert len(seen.ballot_ids) == VOTERS and None not in seen.xids
    return found, tuple_xids & seen.xids


def test_after_close_no_page_of_any_secret_relation_holds_a_pre_close_ballot_or_xid(cast_tx):
    _postgresql_superuser()
    seen = _vote_one_by_one(cast_tx)
    assert _pre_close_traces(seen) == ([], set())


class _OldSnapshot:
    """Another connection in a transaction whose snapshot predates the close (a report)."""

    dbname: str | None = None  # None: the test database
    isolation = "REPEATABLE READ"
    query = "SELECT count(*) FROM ballots_ballot"

    def __enter__(self):
        import psycopg2

        settings = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=self.dbname or settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            password=settings["PASSWORD"] or None,
        )
        self.conn.set_session(isolation_level=self.isolation)
        with self.conn.cursor() as cursor:
            cursor.execute(self.query)
        return self

    def end(self) -> None:
        self.conn.rollback()

    def __exit__(self, *exc) -> None:
        self.conn.close()


class _OldWriterElsewhere(_OldSnapshot):
    """A transaction in ANOTHER database of the cluster that took a transaction id before the
    close and sits idle (no snapshot): it pins every VACUUM's horizon, whatever the database."""

    dbname = "postgres"
    isolation = "READ COMMITTED"
    query = "SELECT pg_current_xact_id()"


def test_a_snapshot_older_than_the_close_is_waited_for_and_nothing_survives(cast_tx):
    _postgresql_superuser()
    seen = _vote_one_by_one(cast_tx, close=False)
    with _OldSnapshot() as report:
        timer = threading.Timer(1.5, report.end)  # the report ends while the close waits
        timer.start()
        assert services.session_close(actor=cast_tx.secretariat, session=seen.session)
        timer.join()
    assert _pre_close_traces(seen) == ([], set())


def test_a_writer_in_another_database_open_before_the_close_is_waited_for(cast_tx, caplog):
    _postgresql_superuser()
    seen = _vote_one_by_one(cast_tx, close=False)
    with _OldWriterElsewhere() as writer:
        timer = threading.Timer(1.5, writer.end)  # it commits while the close waits
        timer.start()
        with caplog.at_level(logging.WARNING, logger="ballots.storage"):
            assert services.session_close(actor=cast_tx.secretariat, session=seen.session)
        timer.join()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert _pre_close_traces(seen) == ([], set())


def test_a_snapshot_outlasting_the_wait_is_logged_and_compact_storage_finishes(
    cast_tx, caplog, monkeypatch
):
    _postgresql_superuser()
    monkeypatch.setattr(storage, "HORIZON_WAIT", 0.5)
    seen = _vote_one_by_one(cast_tx, close=False)
    with _OldSnapshot() as report:
        with caplog.at_level(logging.ERROR, logger="ballots.storage"):
            assert services.session_close(actor=cast_tx.secretariat, session=seen.session)
        report.end()
    assert "storage compaction not done" in caplog.text
    found, xids = _pre_close_traces(seen)
    assert found and xids  # what the close could not yet rewrite: hence the ERROR
    call_command("compact_storage", stdout=io.StringIO())
    assert _pre_close_traces(seen) == ([], set())


def test_after_close_the_sessions_secret_rows_carry_one_transaction_id(cast_tx):
    _postgresql_superuser()
    seen = _vote_one_by_one(cast_tx)
    with connection.cursor() as cursor:
        xmins: set[str] = set()
        for table in ("ballots_ballot", "ballots_votercode", "votesessions_voter"):
            cursor.execute(
                f"SELECT DISTINCT xmin::text FROM {table} WHERE session_id = %s",  # noqa: S608
                [seen.session.pk],
            )
            xmins |= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT m.xmin::text FROM ballots_mark m "
            "JOIN ballots_ballot b ON b.id = m.ballot_id WHERE b.session_id = %s",
            [seen.session.pk],
        )
        xmins |= {row[0] for row in cursor.fetchall()}
    assert len(xmins) == 1
    assert {int(x) for x in xmins} & seen.xids == set()


# --- SQLite: the file and its WAL -------------------------------------------------------------


def test_sqlite_deletes_securely():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragma")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_after_close_the_sqlite_file_and_wal_hold_no_pre_close_ballot(cast_tx):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite files")
    seen = _vote_one_by_one(cast_tx)
    path = Path(connection.settings_dict["NAME"])
    wal = Path(f"{path}-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    # Django stores a UUID in SQLite as 32 hexadecimal characters.
    found = [b for b in seen.ballot_ids if b.hex.encode() in data]
    assert len(seen.ballot_ids) == VOTERS
    assert found == []
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_close_while_another_session_votes_leaves_nothing_and_raises_no_alarm(cast_tx, caplog):
    _postgresql_superuser()
    seen = _vote_one_by_one(cast_tx, close=False)
    other = cast_tx.other_session
    codes = open_session(other, cast_tx.other_secretariat, codes=60, activate=60)
    choices = {int(k[1:]): v for k, v in full_choices(other).items()}
    stop = threading.Event()
    cast_in_other: list[str] = []

    def vote_elsewhere() -> None:
        try:
            for code in codes:
                if stop.is_set():
                    break
                services.ballot_cast(raw=code, choices=choices)
                cast_in_other.append(code)
        finally:
            connections.close_all()

    voter = threading.Thread(target=vote_elsewhere)
    voter.start()
    with caplog.at_level(logging.WARNING, logger="ballots.storage"):
        assert services.session_close(actor=cast_tx.secretariat, session=seen.session)
    stop.set()
    voter.join(timeout=60)
    assert cast_in_other  # the other session really voted meanwhile
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert _pre_close_traces(seen) == ([], set())
