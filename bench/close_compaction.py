"""`make bench-close`: how long closing a session blocks other sessions voting on the server.

At close the secret tables are rewritten into new files (ballots/storage.py). On PostgreSQL
that is VACUUM FULL, which holds each table's exclusive lock while it copies it: a cast in
another, still open session waits meanwhile. This bench fills a fresh PostgreSQL database
with N ballot rows (each with one mark per candidate) of earlier, closed sessions, opens a
session that keeps voting (one voter after another, as fast as the server answers) and
closes a third one; it reports the compaction's time per table and the longest cast of the
open session during it. N comes from BENCH_CLOSE_BALLOTS (default "10000,100000").
Writes docs/benchmarks-close.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB = "tinnhiem_bench_close"
CANDIDATES = 10
HEADER = """# Closing a session: rewriting the secret tables

Written by `make bench-close` ({date}; {machine}; PostgreSQL on the same machine).

At close, the session's secret rows are re-inserted in random order and then `VACUUM (FULL,
ANALYZE)` rewrites `votesessions_voter`, `ballots_votercode`, `ballots_ballot` and
`ballots_mark` into new files, one at a time (see docs/threat-model.md). Each holds its table's
exclusive lock while it copies, so a cast in another session still voting on the server waits.
The tables hold every session ever held on the server: the rows below are earlier sessions'
ballots, with ten marks each; the session closing has 40 ballots; another session
casts one ballot after another throughout.

{table}

"Longest cast" is the slowest cast of the other session that overlapped the close: it waited
for the lock and then succeeded (no error). The marks table dominates; past a few hundred
thousand ballots, archive finished terms to another database.
"""
SIZES = [int(n) for n in os.environ.get("BENCH_CLOSE_BALLOTS", "10000,100000").split(",")]


def fresh_database() -> None:
    admin = psycopg2.connect(ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DB}")
    admin.close()
    os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.settings")
    os.environ.setdefault("DEBUG", "true")


def main() -> None:
    fresh_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    lines = [
        "| ballot rows in the tables | mark rows | compaction | per table | "
        "casts in another session during it | longest cast | median cast before |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in SIZES:
        lines.append(run(size))
        print(lines[-1], flush=True)
    (ROOT / "docs" / "benchmarks-close.md").write_text(
        HEADER.format(
            date=datetime.date.today().isoformat(),
            machine=f"{os.cpu_count()} cores, Python {platform.python_version()}",
            table="\n".join(lines),
        )
    )


def _session(user, org, label: str, voters: int):
    from sessions import services
    from sessions.imports import VoterRow

    session = services.session_create(
        actor=user,
        organization=org,
        title=f"Bench close {label}",
        date=datetime.date.today(),
        place="loopback",
        regime="nq96",
        procedure="rating",
        mode="electronic",
    )
    for i in range(CANDIDATES):
        services.candidate_add(
            actor=user, session=session, full_name=f"Ứng viên {label} {i}", positions="Ủy viên"
        )
    services.voters_import(
        actor=user,
        session=session,
        rows=[VoterRow(line=i, full_name=f"Đại biểu {i}", unit="") for i in range(voters)],
        replace=False,
    )
    services.committee_member_add(
        actor=user, session=session, full_name="Trưởng ban", unit="", role="head"
    )
    services.session_mark_ready(actor=user, session=session)
    return session


def _open(user, session, count: int) -> list[str]:
    from ballots import services as ballot_services
    from ballots.models import VoterCode

    codes = ballot_services.codes_generate(actor=user, session=session, count=count)
    VoterCode.objects.filter(session=session).update(state=VoterCode.State.ACTIVE)
    ballot_services.session_open(actor=user, session=session)
    return codes


def _fill(session, ballots: int) -> None:
    """N ballots of an earlier session, straight in SQL (the ORM would take minutes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ballots_ballot (id, session_id, whole_invalid) "
            "SELECT gen_random_uuid(), %s, false FROM generate_series(1, %s)",
            [session.pk, ballots],
        )
        cursor.execute(
            "INSERT INTO ballots_mark (ballot_id, candidate_id, level) "
            "SELECT b.id, c.id, (ARRAY['high','medium','low'])[1 + (random() * 2)::int] "
            "FROM ballots_ballot b CROSS JOIN votesessions_candidate c "
            "WHERE b.session_id = %s AND c.session_id = %s",
            [session.pk, session.pk],
        )
        cursor.execute("ANALYZE ballots_ballot, ballots_mark")


def run(size: int) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from ballots import services as ballot_services
    from ballots import storage
    from ballots.models import Ballot, Mark
    from sessions.models import Membership, Organization

    org, _ = Organization.objects.get_or_create(name="Bench close", defaults={"kind": "mass"})
    user, _ = get_user_model().objects.get_or_create(username="bench-close")
    Membership.objects.get_or_create(user=user, organization=org, role="secretariat")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ballots_mark, ballots_ballot")
    earlier = _session(user, org, f"earlier {size}", 5)
    _fill(earlier, size)
    voting = _session(user, org, f"voting {size}", 3000)
    voting_codes = _open(user, voting, 3000)
    closing = _session(user, org, f"closing {size}", 40)
    closing_codes = _open(user, closing, 40)
    candidates = list(voting.candidates.values_list("pk", flat=True))
    for code in closing_codes:
        ballot_services.ballot_cast(
            raw=code,
            choices=dict.fromkeys(closing.candidates.values_list("pk", flat=True), "high"),
        )
    rows, marks = Ballot.objects.count(), Mark.objects.count()

    latencies: list[tuple[float, float]] = []  # (start, seconds)
    stop = threading.Event()

    def voter() -> None:
        for code in voting_codes:
            if stop.is_set():
                break
            started = time.perf_counter()
            ballot_services.ballot_cast(raw=code, choices=dict.fromkeys(candidates, "medium"))
            latencies.append((started, time.perf_counter() - started))
        connections.close_all()

    thread = threading.Thread(target=voter)
    thread.start()
    time.sleep(1.0)  # the other session is voting at full speed
    per_table: dict[str, float] = {}
    original = storage._retry

    def timed_retry(cursor, statement: str) -> None:
        started = time.perf_counter()
        original(cursor, statement)
        per_table[statement.split('"')[1]] = time.perf_counter() - started

    storage._retry = timed_retry
    compact_start = time.perf_counter()
    ballot_services.session_close(actor=user, session=closing)  # compacts on commit
    compact_end = time.perf_counter()
    storage._retry = original
    time.sleep(1.0)
    stop.set()
    thread.join()
    before = [s for t, s in latencies if t < compact_start]
    during = [(t, s) for t, s in latencies if t + s >= compact_start and t <= compact_end]
    longest = max((s for _t, s in during), default=0.0)
    tables = ", ".join(f"{name.split('_', 1)[1]} {secs:.2f} s" for name, secs in per_table.items())
    return (
        f"| {rows:,} | {marks:,} | {compact_end - compact_start:.2f} s | {tables} | "
        f"{len(during)} | {longest:.2f} s | {statistics.median(before) * 1000:.1f} ms |"
    )


if __name__ == "__main__":
    main()
