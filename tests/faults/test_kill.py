"""The server killed with SIGKILL in the middle of a stream of casts.

Runs a real gunicorn on loopback against a fresh database (SQLite file, or a new PostgreSQL
database when DATABASE_URL points at PostgreSQL), casts from several threads, kills every
server process with SIGKILL, then checks the database: every acknowledged ballot is there,
no ballot is half-written, and no code counted twice. `make test-faults` runs it.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import json
from django.contrib.auth.models import User
from ballots import services as b
from sessions import services as s
from sessions.imports import VoterRow
from sessions.models import Organization, Membership
import datetime
org = Organization.objects.create(name="Kill test", kind="mass")
user = User.objects.create_user("sec", password="x")
Membership.objects.create(user=user, organization=org, role="secretariat")
session = s.session_create(actor=user, organization=org, title="Kill", date=datetime.date.today(),
                           place="x", regime="nq96", procedure="rating", mode="electronic")
for i in range(5):
    s.candidate_add(actor=user, session=session, full_name=f"Ứng viên {i}", positions="P")
s.voters_import(actor=user, session=session, rows=[VoterRow(line=i, full_name=f"V{i}", unit="")
                for i in range(400)], replace=False)
s.committee_member_add(actor=user, session=session, full_name="Trưởng ban", unit="", role="head")
s.session_mark_ready(actor=user, session=session)
for voter in session.voters.all():  # the desk hands out no more slips than people present
    b.voter_check_in(voter=voter, present=True)
codes = b.codes_generate(actor=user, session=session, count=400)
for c in codes:
    b.code_activate(session=session, raw=c)
b.session_open(actor=user, session=session)
ids = list(session.candidates.values_list("pk", flat=True))
print(json.dumps({"codes": codes, "candidates": ids}))
"""

CHECK = """
import json
from ballots.codes import code_hash
from ballots.models import Ballot, Mark, VoterCode
acked = json.load(open({acked!r}))
used = set(VoterCode.objects.filter(state="used").values_list("code_hash", flat=True))
print(json.dumps({{
    "ballots": Ballot.objects.count(),
    "marks": Mark.objects.count(),
    "used": len(used),
    "acked_missing": sum(1 for c in acked if code_hash(c) not in used),
    "half": Ballot.objects.exclude(marks__isnull=False).count(),
}}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database(tmp_path: Path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg2

        name = f"tinnhiem_faults_{uuid.uuid4().hex[:8]}"
        parsed = urllib.parse.urlparse(url)
        admin = psycopg2.connect(urllib.parse.urlunparse(parsed._replace(path="/postgres")))
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')

        def drop():
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        return urllib.parse.urlunparse(parsed._replace(path=f"/{name}")), drop
    return f"sqlite:///{tmp_path / 'faults.sqlite3'}", lambda: None


def _manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


def test_sigkill_mid_stream_loses_no_acknowledged_ballot_and_leaves_no_half(tmp_path):
    database_url, drop = _database(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "faults-test-key-" + "x" * 40,
        "AUDIT_KEY": "faults-audit-key-" + "y" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CODE_GUESS_NETWORK_LIMIT": "100000",
    }
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "createcachetable")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # DEBUG off: the manifest
        setup = json.loads(_manage(env, "shell", stdin=SETUP).strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tinnhiem.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        acked: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        queue = list(setup["codes"])

        def voter() -> None:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
            )
            try:
                opener.open(f"{base}/b/", timeout=5).read()
            except OSError:
                return
            token = next(c.value for c in jar if c.name == "csrftoken")
            while not stop.is_set():
                with lock:
                    if not queue:
                        return
                    code = queue.pop()
                fields = {"code": code, "csrfmiddlewaretoken": token}
                fields.update({f"c{pk}": "medium" for pk in setup["candidates"]})
                request = urllib.request.Request(
                    f"{base}/b/cast/",
                    data=urllib.parse.urlencode(fields).encode(),
                    headers={"Referer": f"{base}/b/"},
                )
                try:
                    response = opener.open(request, timeout=5)
                    status = response.status
                except urllib.error.HTTPError as error:
                    status = error.code
                except OSError:
                    return  # the server is gone
                if status == 302:
                    with lock:
                        acked.append(code)

        threads = [threading.Thread(target=voter) for _ in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acked) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-stream
        server.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        assert len(acked) >= 60, "the stream never got going"
        assert len(acked) < 400, "the kill came after the stream had ended"
        acked_file = tmp_path / "acked.json"
        acked_file.write_text(json.dumps(acked))
        check = _manage(env, "shell", stdin=CHECK.format(acked=str(acked_file)))
        figures = json.loads(check.strip().splitlines()[-1])
        assert figures["acked_missing"] == 0, figures
        assert figures["ballots"] == figures["used"], figures
        assert figures["marks"] == 5 * figures["ballots"], figures
        assert figures["half"] == 0, figures
    finally:
        drop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the 302 after a cast is the acknowledgement
        return None
