"""Destroying the order of voting in storage when voting closes.

While voting is open, the database keeps order it was never asked to keep: PostgreSQL places a
new row version at the end of its table (`ctid`) and stamps it with its transaction id (`xmin`),
and both a check-in and a cast leave such a version; SQLite appends changed pages to its WAL in
commit order. Check-ins and casts share one timeline, so this order could tie people to ballots.

At close, two steps, both needed (docs/threat-model.md, "A database administrator after close"):
1. `rows_shuffle`, inside the close transaction: every ballot, mark, voter code and summoned voter
   row of the session is deleted and inserted again in a fresh random order (ballots with new
   ids), so the live rows all carry the close's transaction id and a random physical order.
2. `storage_compact`, after the commit: the old row versions still sit in the tables' pages (dead
   tuples survive VACUUM; SQLite keeps them in the WAL). PostgreSQL rewrites each relation into a
   new file (VACUUM FULL: heap, indexes and TOAST); SQLite, which deletes with secure_delete on,
   is VACUUMed and its WAL checkpointed and truncated.
"""

from __future__ import annotations

import logging
import random
import time
import uuid

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from sessions.models import Voter, VotingSession

from .models import Ballot, Mark, VoterCode

logger = logging.getLogger(__name__)

# Rewritten at close, smallest first: each VACUUM FULL holds its table's exclusive lock alone.
SECRET_TABLES = (
    Voter._meta.db_table,
    VoterCode._meta.db_table,
    Ballot._meta.db_table,
    Mark._meta.db_table,
)
# A VACUUM FULL waiting for a lock queues every later cast behind it: wait briefly, then retry.
LOCK_TIMEOUT_MS = 2000
ATTEMPTS = 5


def rows_shuffle(session: VotingSession) -> None:
    """Delete and re-insert the session's ballots, marks, codes and voters in random order.

    Runs inside the caller's transaction, with the session and its codes locked.
    """
    shuffle = random.SystemRandom().shuffle
    ballots_rewrite(Ballot.objects.filter(session=session), shuffle)
    codes = list(VoterCode.objects.filter(session=session))
    shuffle(codes)
    VoterCode.objects.filter(session=session).delete()
    VoterCode.objects.bulk_create(codes, batch_size=1000)
    # Voters keep their ids (URLs and audit details name them) and their list number; only
    # their physical order and transaction id change.
    voters = list(Voter.objects.filter(session=session))
    shuffle(voters)
    Voter.objects.filter(session=session).delete()
    Voter.objects.bulk_create(voters, batch_size=1000)


def ballots_rewrite(ballots: QuerySet[Ballot], shuffle=None) -> int:
    """Delete these ballots and their marks and insert them again in random order, new ids.

    Each keeps its session, paper entry, whole-ballot flag and marks; only its id and its place
    in storage change. Inside the caller's transaction. Returns how many were rewritten.
    """
    shuffle = shuffle or random.SystemRandom().shuffle
    marks: dict[uuid.UUID, list[tuple[int, str]]] = {}
    for ballot_id, candidate_id, level in Mark.objects.filter(ballot__in=ballots).values_list(
        "ballot_id", "candidate_id", "level"
    ):
        marks.setdefault(ballot_id, []).append((candidate_id, level))
    rows = [
        (session_id, entry_id, whole_invalid, marks.get(ballot_id, []))
        for ballot_id, session_id, entry_id, whole_invalid in ballots.values_list(
            "id", "session_id", "entry_id", "whole_invalid"
        )
    ]
    shuffle(rows)
    Mark.objects.filter(ballot__in=ballots).delete()
    ballots.delete()
    new_ballots = [
        Ballot(id=uuid.uuid4(), session_id=session_id, entry_id=entry_id, whole_invalid=invalid)
        for session_id, entry_id, invalid, _marks in rows
    ]
    Ballot.objects.bulk_create(new_ballots, batch_size=1000)
    stored = Mark._meta.get_field("ballot").get_db_prep_value  # a uuid as this database keeps it
    _marks_insert(
        (ballot_id, candidate_id, level)
        for ballot, (*_ballot, group) in zip(new_ballots, rows, strict=True)
        for ballot_id in [stored(ballot.pk, connection)]
        for candidate_id, level in group
    )
    return len(rows)


def _marks_insert(rows) -> None:
    """INSERT the marks, in this order, many to a statement: 500,000 marks as models took
    bulk_create 30 s (issue 15), longer than a worker may take to answer the close."""
    table = connection.ops.quote_name(Mark._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Mark._meta.get_field(name).column)
        for name in ("ballot", "candidate", "level")
    )
    per_statement = max(1, min(2000, (connection.features.max_query_params or 6000) // 3))
    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == per_statement:
                _insert(cursor, table, columns, batch)
                batch = []
        if batch:
            _insert(cursor, table, columns, batch)


def _insert(cursor, table: str, columns: str, batch: list) -> None:
    values = ", ".join(["(%s, %s, %s)"] * len(batch))
    cursor.execute(
        f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 - names quoted above
        [value for row in batch for value in row],
    )


def close_horizon() -> int | None:
    """The current transaction's id (PostgreSQL): row versions it deleted must not survive."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text")
        return int(cursor.fetchone()[0])


def storage_compact(*, before: int | None = None) -> bool:
    """Rewrite the secret tables' files so no old row version survives. True when done.

    `before`: the closing transaction's id (close_horizon()); default: now. Must run outside
    any transaction (after the close has committed). Idempotent: an operator reruns it with
    `manage.py compact_storage` if the close's own run was interrupted or incomplete.
    """
    if connection.in_atomic_block:
        raise RuntimeError("storage_compact() must run outside a transaction")
    try:
        if connection.vendor == "postgresql":
            return _postgresql_compact(before)
        if connection.vendor == "sqlite":
            return _sqlite_compact()
    except DatabaseError:
        logger.exception("storage compaction failed; run manage.py compact_storage")
        return False
    return True


# Whoever still holds the old row versions. VACUUM FULL keeps ("recently dead") every version a
# transaction older than the close may still need, and copies it into the new file, order and
# transaction ids included. Two kinds of holder:
# - in this database, a snapshot older than the close (a report, a backup, autovacuum's ANALYZE);
# - in ANY database of the cluster, a transaction that began writing before the close and is
#   still open (even idle between statements, with no snapshot), or a prepared transaction: the
#   VACUUM's own snapshot counts every running transaction id of the cluster, so one old writer
#   anywhere pins its horizon below the close (found when another database's test run left a
#   transaction idle: "found 0 removable");
# - a replication slot.
HOLDERS = """
    SELECT pid FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND (
        (datname = current_database()
         AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age(%(xid)s::xid))
        OR (backend_xid IS NOT NULL AND age(backend_xid) >= age(%(xid)s::xid)))
    UNION ALL
    SELECT 0 FROM pg_prepared_xacts WHERE age(transaction) >= age(%(xid)s::xid)
    UNION ALL
    SELECT 0 FROM pg_replication_slots
    WHERE xmin IS NOT NULL AND age(xmin) >= age(%(xid)s::xid)
"""
HORIZON_WAIT = 30.0  # seconds a close waits for them before it gives up and says so


def _postgresql_compact(before: int | None) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) "
            "AND NOT pg_has_role(current_user, relowner, 'USAGE')",
            [list(SECRET_TABLES)],
        )
        foreign = [row[0] for row in cursor.fetchall()]
        if foreign:
            # VACUUM FULL would only warn and skip them: say so loudly instead.
            logger.error(
                "cannot rewrite %s: the database user does not own them (docs/deployment.md)",
                ", ".join(foreign),
            )
            return False
        if before is None:
            cursor.execute("SELECT pg_current_xact_id()::text")
            before = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        if not cursor.fetchone()[0]:
            # Other users' snapshots would be invisible in pg_stat_activity, so not waited for.
            logger.warning(
                "the database user cannot see other users' transactions (grant it "
                "pg_read_all_stats): a report running as another user during a close could "
                "keep old row versions in the rewritten tables (docs/deployment.md)"
            )
        holders = _wait_for_horizon(cursor, before)
        if holders:
            logger.error(
                "storage compaction not done: other transactions (pids %s) still see the "
                "voting day's row versions after %d s; run manage.py compact_storage once "
                "they have ended (docs/deployment.md)",
                ", ".join(map(str, holders)),
                HORIZON_WAIT,
            )
            return False
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        try:
            for table in SECRET_TABLES:
                _retry(cursor, f'VACUUM (FULL, ANALYZE) "{table}"')
        finally:
            cursor.execute("RESET lock_timeout")
    return True


def _wait_for_horizon(cursor, before: int) -> list[int]:
    xid = str(before % 2**32)  # pg_stat_activity shows 32-bit ids
    deadline = time.monotonic() + HORIZON_WAIT
    while True:
        cursor.execute(HOLDERS, {"xid": xid})
        holders = sorted({row[0] for row in cursor.fetchall()})
        if not holders or time.monotonic() > deadline:
            return holders
        time.sleep(0.2)


def _retry(cursor, statement: str) -> None:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            cursor.execute(statement)
            return
        except DatabaseError as exc:
            # 55P03 lock_not_available: a long transaction holds the table; let casts through.
            if getattr(getattr(exc, "__cause__", None), "pgcode", None) != "55P03":
                raise
            if attempt == ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)


def _sqlite_compact() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        for attempt in range(1, ATTEMPTS + 1):
            # (busy, WAL frames, frames checkpointed): busy while another connection reads.
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                return True
            time.sleep(0.2 * attempt)
    logger.error("the WAL could not be truncated (readers busy); run manage.py compact_storage")
    return False
