"""`make bench`: a full hall voting at once, the tally, the documents. Writes docs/benchmarks.md.

Runs real gunicorns on loopback against a fresh SQLite file and, when PostgreSQL answers on
BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), a fresh PostgreSQL database;
on PostgreSQL also two gunicorns behind nginx. Every load run is followed by SQL consistency
checks. Environment:

- BENCH_WORKERS: sync workers of the one app server (default 4); two servers get half each.
- BENCH_CASTS: casts per 16-voter run (default 1500; at most 500 in the others).
- BENCH_DBS: "sqlite,postgres" (default both).
- BENCH_TOPOLOGY: on PostgreSQL, "single", "two" (behind nginx) or "both" (default).
- BENCH_PIN: "0" to let the load generator and the servers share every CPU (default: pinned,
  bench/server.py).
- BENCH_INPROCESS: "0" to skip bench/inprocess.py (the tally and documents), for quick runs.

`bench/run.py --render` writes docs/benchmarks.md again from var/benchmarks.json, measuring
nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402
import runs  # noqa: E402
from server import NGINX, cpu_split  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CASTS = int(os.environ.get("BENCH_CASTS", "1500"))
TOPOLOGY = os.environ.get("BENCH_TOPOLOGY", "both")
PIN = os.environ.get("BENCH_PIN", "1") != "0"
INPROCESS = os.environ.get("BENCH_INPROCESS", "1") != "0"
STARTED = time.monotonic()
SERVER_CPUS, GENERATOR_CPUS = cpu_split(PIN)
LEVELS = (16, 64, 256)
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
THROTTLE_LIMIT = 8  # CODE_GUESS_NETWORK_LIMIT of the shared-throttle check only
COPIES = 1000

CHECK = """
import json
from ballots.models import Ballot, Mark, VoterCode
from django.db.models import Count
s = {session}
print(json.dumps({{
    "ballots": Ballot.objects.filter(session_id=s).count(),
    "used": VoterCode.objects.filter(session_id=s, state="used").count(),
    "marks": Mark.objects.filter(ballot__session_id=s).count(),
    "incomplete": Ballot.objects.filter(session_id=s).annotate(n=Count("marks"))
        .exclude(n=20).count(),
}}))
"""


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def setup(env: dict, codes: int, label: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = tmp.name
    manage(
        {**env, "BENCH_CODES": str(codes), "BENCH_LABEL": label, "BENCH_OUT": out},
        "shell",
        stdin=(ROOT / "bench" / "setup_session.py").read_text(),
    )
    data = json.loads(Path(out).read_text())
    os.unlink(out)
    return data


def check(env: dict, session: int, successes: int) -> dict:
    figures = last_json(manage(env, "shell", stdin=CHECK.format(session=session)))
    figures["successes"] = successes
    figures["consistent"] = (
        figures["ballots"] == figures["used"] == successes
        and figures["marks"] == 20 * figures["ballots"]
        and figures["incomplete"] == 0
    )
    return figures


def vote(topology, env: dict, kind: str, codes: int, concurrency: int, steps: int) -> dict:
    data = setup(env, codes, kind)
    run = runs.vote_run(topology, kind, data, concurrency, steps)
    run["check"] = check(env, data["session"], run["successes"])
    print(f"[{time.monotonic() - STARTED:4.0f} s] {kind}: {run['ballots_per_s']:.0f} ballots/s")
    return run


def judged(topology, env: dict, prefix: str, result: dict) -> None:
    """The two 16-voter runs the targets judge, each between two `GET /healthz` measurements
    (its ratio uses their mean: the machine is shared, and its load moves)."""
    result["healthz"].append(runs.healthz(topology))
    for steps, kind in ((3, "16 concurrent voters"), (5, "16 concurrent voters, 5-request flow")):
        run = vote(topology, env, prefix + kind, CASTS, 16, steps)
        result["healthz"].append(runs.healthz(topology))
        run["healthz_rps"] = statistics.mean(h["rps"] for h in result["healthz"][-2:])
        result["runs"].append(run)


def single_server(env: dict, name: str, postgres) -> dict:
    """The one app server: first requests, the judged runs, the other runs, the 1,000-copy form."""
    result: dict = {"runs": [], "healthz": []}
    first = setup(env, 21, f"{name} first requests")
    topology = runs.Topology(env, 1, WORKERS, SERVER_CPUS, postgres)
    try:
        result["first_request"] = runs.first_requests(topology, first["codes"])
        judged(topology, env, "", result)
        for concurrency in LEVELS[1:]:  # not judged: fewer casts, to keep within ~15 minutes
            kind = f"{concurrency} concurrent voters"
            result["runs"].append(vote(topology, env, kind, min(CASTS, 500), concurrency, 3))
        result["runs"].append(vote(topology, env, "burst: 500 submits at once", 500, 0, 3))
        result["healthz_rps"] = statistics.mean(h["rps"] for h in result["healthz"])
        path = f"/sessions/{first['session']}/ballot-form.pdf?copies={COPIES}"
        result["ballot_form_pdf"] = runs.staff_pdf(topology, path, first["staff_cookie"])
        result["worker_rss_peak_mb"] = topology.rss_peak_mb()
    finally:
        topology.stop()
    return result


def two_servers(env: dict, postgres) -> dict:
    """Two app servers behind nginx on the one database: the judged runs, and the shared
    throttle (on a second pair with a low network limit)."""
    env = {**env, "TRUSTED_PROXIES": "127.0.0.1"}
    workers = max(1, WORKERS // 2)
    result: dict = {"instances": 2, "workers_each": workers, "runs": [], "healthz": []}
    with runs.Topology(env, 2, workers, SERVER_CPUS, postgres) as topology:
        judged(topology, env, "two servers: ", result)
        result["healthz_rps"] = statistics.mean(h["rps"] for h in result["healthz"])
    low = {**env, "CODE_GUESS_NETWORK_LIMIT": str(THROTTLE_LIMIT)}
    with runs.Topology(low, 2, 1, SERVER_CPUS) as topology:
        result["throttle"] = runs.throttle_check(topology, THROTTLE_LIMIT)
    return result


def bench_database(name: str, database_url: str, postgres=None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "AUDIT_KEY": "bench-audit-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "CODE_GUESS_NETWORK_LIMIT": "1000000",
        "LOG_LEVEL": "WARNING",
        # Connections that live through a run (60 s by default): a backend that ends mid-run
        # takes its CPU time out of the PostgreSQL column. One reconnection a minute per
        # worker is nothing to the figures.
        "CONN_MAX_AGE": "3600",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    print(f"[{time.monotonic() - STARTED:4.0f} s] {name}")
    result = {"database": name, "workers": WORKERS, "machine": machine(), "pinning": pinning()}
    if postgres is None or TOPOLOGY in ("single", "both"):
        result.update(single_server(env, name, postgres))
    if postgres is not None and TOPOLOGY in ("two", "both"):
        if Path(NGINX).exists():
            result["two_servers"] = two_servers(env, postgres)
        else:
            print(f"{NGINX} not found (apt-get install nginx): two app servers skipped")
    if not INPROCESS:
        return result
    try:
        stdin = (ROOT / "bench" / "inprocess.py").read_text()
        result["inprocess"] = last_json(manage(env, "shell", stdin=stdin))
    except (SystemExit, ValueError, OSError) as exc:  # another part's figures: not measured
        result["inprocess"] = {"error": str(exc)[-500:]}
    return result


def postgres_database():
    try:
        import psycopg2
    except ImportError:
        return None
    try:
        admin = psycopg2.connect(PG_URL, connect_timeout=3)
    except psycopg2.OperationalError:
        return None
    admin.autocommit = True
    name = f"tinnhiem_bench_{uuid.uuid4().hex[:6]}"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    parsed = urllib.parse.urlparse(PG_URL)

    def drop() -> None:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return urllib.parse.urlunparse(parsed._replace(path=f"/{name}")), (admin, name), drop


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def pinning() -> dict:
    return {
        "server_cpus": sorted(SERVER_CPUS) if SERVER_CPUS else None,
        "generator_cpus": sorted(GENERATOR_CPUS) if GENERATOR_CPUS else None,
    }


def write(reports: list[dict], day: datetime.date) -> None:
    text = report.render(reports, day)
    (ROOT / "docs" / "benchmarks.md").write_text(text)
    print(text)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # the progress lines, as they come
    if sys.argv[1:] == ["--render"]:  # docs/benchmarks.md again from the last figures
        saved = ROOT / "var" / "benchmarks.json"
        write(json.loads(saved.read_text()), datetime.date.fromtimestamp(saved.stat().st_mtime))
        return
    if GENERATOR_CPUS:
        os.sched_setaffinity(0, GENERATOR_CPUS)  # this process is the load generator
    wanted = os.environ.get("BENCH_DBS", "sqlite,postgres").split(",")
    reports = []
    if "postgres" in wanted:
        pg = postgres_database()
        if pg is None:
            print("PostgreSQL not reachable: skipped")
        else:
            url, postgres, drop = pg
            try:
                reports.append(bench_database("PostgreSQL", url, postgres))
            finally:
                drop()
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as tmp:
            reports.append(bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3"))
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "benchmarks.json").write_text(json.dumps(reports, indent=2))
    write(reports, datetime.date.today())


if __name__ == "__main__":
    main()
