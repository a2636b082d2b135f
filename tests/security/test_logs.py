"""Logs say nothing about voters: no ballot request at all, no checked-in person's id or name.

The rules are tinnhiem/logs.py's. A real gunicorn, started as `make run` starts it, shows them
in its access and error logs; Django's own records are filtered by settings.LOGGING.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import FORM, full_choices, open_session, post_form
from tinnhiem.logs import VoterPrivacyFilter, is_voter_request, redact

ROOT = Path(settings.BASE_DIR)
CSRF = "a" * 32  # a well-formed CSRF secret, sent as cookie and as field alike
VOTER_LINE = re.compile(r"(?:^|[\s\"'])(?:https?://[^/\s]+)?/b(?:[/?\s\"]|$)", re.MULTILINE)


def _record(name: str, level: int, msg: str, args: tuple = (), request=None):
    record = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    if request is not None:
        record.request = request
    return record


# --- The filter on Django's records -----------------------------------------------------------


def test_django_drops_its_records_of_voter_requests_below_error(rf):
    keep = VoterPrivacyFilter().filter
    request = rf.post("/b/cast/")
    assert not keep(
        _record("django.request", logging.WARNING, "Conflict: %s", ("/b/cast/",), request)
    )
    assert not keep(
        _record("django.security.csrf", logging.WARNING, "Forbidden: %s", ("/b/",), request)
    )
    error = _record("django.request", logging.ERROR, "Internal Server Error: %s", ("/b/cast/",))
    error.request = request
    assert keep(error)  # an operator must see that voting fails; it stored no ballot


def test_a_request_made_from_a_voter_page_is_not_logged(rf):
    request = rf.get("/static/css/tinnhiem.css", HTTP_REFERER="http://hall.lan/b/done/")
    record = _record("django.request", logging.WARNING, "Not Found: %s", (request.path,), request)
    assert not VoterPrivacyFilter().filter(record)


def test_runserver_drops_voter_requests_and_hides_check_ins_and_searches():
    keep = VoterPrivacyFilter().filter
    line = '"%s" %s %s'
    assert not keep(
        _record("django.server", logging.INFO, line, ("POST /b/cast/ HTTP/1.1", 302, 0))
    )
    assert not keep(_record("django.server", logging.INFO, line, ("GET /b HTTP/1.1", 301, 0)))
    check_in = _record(
        "django.server", logging.INFO, line, ("POST /sessions/3/desk/17/check-in/ HTTP/1.1", 302, 0)
    )
    assert keep(check_in)
    assert check_in.getMessage() == '"POST /sessions/3/desk/*/check-in/ HTTP/1.1" 302 0'
    search = _record(
        "django.server",
        logging.INFO,
        line,
        ("GET /sessions/3/desk/?q=Nguy%E1%BB%85n HTTP/1.1", 200, 9),
    )
    assert keep(search)
    assert search.getMessage() == '"GET /sessions/3/desk/?* HTTP/1.1" 200 9'


def test_other_records_pass_untouched():
    keep = VoterPrivacyFilter().filter
    for message in ("Watching for file changes with StatReloader", "Why? Because.", "a/b/c"):
        record = _record("django.utils.autoreload", logging.INFO, message)
        assert keep(record)
        assert record.getMessage() == message


def test_the_log_rules_know_the_voter_pages_and_the_check_in_url():
    for name in ("start", "review", "cast", "done"):
        assert is_voter_request(reverse(f"ballots:{name}"))
    assert is_voter_request(reverse("ballots:start").rstrip("/"))  # before the slash redirect
    assert not is_voter_request(reverse("ballots:desk", args=[3]))
    assert not is_voter_request(reverse("healthz"))
    assert redact(reverse("ballots:check_in", args=[3, 17])) == "/sessions/3/desk/*/check-in/"


def test_every_handler_and_the_request_loggers_carry_the_filter():
    for handler in settings.LOGGING["handlers"].values():
        assert "voter_privacy" in handler["filters"]
    for name in ("django.request", "django.security.csrf", "django.server"):
        assert any(isinstance(f, VoterPrivacyFilter) for f in logging.getLogger(name).filters)
    assert settings.LOGGING["loggers"]["django"]["handlers"] == []  # Django's unfiltered ones


def test_a_voting_morning_leaves_no_voter_request_in_djangos_log(client, cast):
    """What Django itself prints (the root handler, as under gunicorn or runserver)."""
    codes = open_session(cast.session, cast.secretariat)
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, VoterPrivacyFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        post_form(Client(), reverse("ballots:start"), {"code": "7KQ2M-9XH4C-TD8WZ"})  # 404
        post_form(Client(), reverse("ballots:start"), {"code": codes[9]})  # 403, inert
        forged = Client(enforce_csrf_checks=True)
        post_form(forged, reverse("ballots:cast"), {"code": codes[0]})  # 403, CSRF
        client.force_login(cast.committee)
        client.get("/sessions/999999/desk/")  # a staff 404: this one is logged
    finally:
        handler.setStream(previous)
    logged = stream.getvalue()
    assert "Not Found: /sessions/999999/desk/" in logged
    assert not VOTER_LINE.search(logged), logged


# --- A real gunicorn, as `make run` starts it -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _send(port: int, method: str, path: str, *, form=None, cookie="", referer=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Cookie": f"csrftoken={CSRF}; {cookie}".rstrip("; ")}
    if referer:
        headers["Referer"] = referer
    body = None
    if form is not None:
        body = urlencode({"csrfmiddlewaretoken": CSRF, **form})
        headers["Content-Type"] = FORM
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_no_ballot_request_and_no_checked_in_voter(cast_tx, tmp_path):
    session = cast_tx.session
    codes = open_session(session, cast_tx.secretariat)
    voter = session.voters.order_by("number").last()
    desk = Client()
    desk.force_login(cast_tx.committee)  # a session row the server accepts: same database, key
    staff = f"{settings.SESSION_COOKIE_NAME}={desk.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    # DEBUG on only so that static files are found without collectstatic.
    env.update(DATABASE_URL=_database_url(), DEBUG="true", ALLOWED_HOSTS="127.0.0.1")
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    with access.open("w") as out, errors.open("w") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tinnhiem.wsgi", "-c", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"]
            + ["--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            for _ in range(300):
                try:
                    if _send(port, "GET", "/healthz") == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            name = {"q": voter.full_name}
            check_in = reverse("ballots:check_in", args=[session.pk, voter.pk])
            desk_url = f"{reverse('ballots:desk', args=[session.pk])}?{urlencode(name)}"
            statuses = [
                _send(port, "POST", check_in, form={"present": "1", **name}, cookie=staff),
                _send(port, "GET", desk_url, cookie=staff),
                _send(port, "GET", "/b/"),
                _send(port, "POST", "/b/", form={"code": "7KQ2M-9XH4C-TD8WZ"}),
                _send(port, "POST", "/b/", form={"code": codes[0]}),
                _send(port, "POST", "/b/cast/", form={"code": codes[0], **full_choices(session)}),
                _send(port, "GET", "/b/done/"),
                _send(port, "GET", "/static/css/tinnhiem.css", referer=f"{base}/b/done/"),
                _send(port, "GET", "/healthz"),
            ]
        finally:
            server.terminate()
            server.wait(timeout=20)
    assert statuses == [302, 200, 200, 404, 200, 302, 200, 200, 200]
    voter.refresh_from_db()
    assert voter.present
    logged = access.read_text() + errors.read_text()
    assert f'"POST /sessions/{session.pk}/desk/*/check-in/ HTTP/1.1" 302 -' in logged
    # No size: the desk page after a check-in names who is present, and its size with it.
    assert f'"GET /sessions/{session.pk}/desk/?* HTTP/1.1" 200 -' in logged
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert not re.search(r"/desk/\d+/check-in", logged), logged
    assert "q=" not in logged and quote(voter.full_name) not in logged
    assert not VOTER_LINE.search(logged), logged
    assert codes[0] not in logged
