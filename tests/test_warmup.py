"""tinnhiem.warmup: what a worker's first request would load is loaded at start, without the DB."""

from __future__ import annotations

import runpy
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.urls import get_resolver, reverse
from django.utils import translation

from ballots import voter_pages, voting
from tests.factories import build_cast, open_session, post_form
from tinnhiem.warmup import keep_ballots, warm_up

VOTER_PAGES = ["ballots/start.html", "ballots/ballot.html", "ballots/review.html"]


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off or on)
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_warm_up_compiles_the_voter_pages_and_the_staff_home_into_the_template_cache():
    engines["django"].engine.template_loaders[0].reset()
    compiled = warm_up()  # not marked django_db: any query would fail the test
    for name in [*VOTER_PAGES, "ballots/done.html", "votesessions/dashboard.html"]:
        assert name in compiled
        assert name in _cached_names()


def test_warm_up_builds_the_url_maps_of_every_language():
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    warm_up()
    assert {code for code, _name in settings.LANGUAGES} <= set(resolver._reverse_dict)
    with translation.override("en"):
        assert resolver.reverse_dict.getlist("healthz")


@pytest.mark.parametrize("behind_tls", [False, True])
def test_warm_up_keeps_the_voter_start_page_of_every_language(settings, behind_tls):
    """Through a real GET /b/ each (any query would fail the test), even where plain HTTP is
    redirected to HTTPS, so that a worker's first voter is not the one who renders it."""
    if behind_tls:
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.ALLOWED_HOSTS = [".vote.example.org"]
    voter_pages._kept.clear()
    warm_up()
    assert set(voter_pages._kept) == {(code, "/") for code, _name in settings.LANGUAGES}
    assert 'lang="en"' in voter_pages._kept["en", "/"]
    assert 'lang="vi"' in voter_pages._kept["vi", "/"]
    assert voter_pages.STAND_IN in voter_pages._kept["vi", "/"]  # the token goes in per request


def test_gunicorn_preloads_the_application_so_workers_fork_warm():
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    assert callable(conf["on_starting"])  # the master then keeps the open ballots
    assert conf["timeout"] >= 120  # a close of 10,000 ballots × 50 takes up to ~50 s


@pytest.mark.django_db(transaction=True)  # keep_ballots closes the connection it used
def test_the_master_keeps_the_ballot_of_every_open_session_before_forking():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    voting.forget_frozen_ballots()
    keep_ballots()
    with CaptureQueriesContext(connection) as queries:
        response = post_form(Client(), reverse("ballots:start"), {"code": plain[0]})
    assert response.status_code == 200
    # The code with the throttle's test (and once per window the throttle's sweep): the people
    # were kept at start.
    sql = " ".join(q["sql"] for q in queries)
    assert "votesessions_candidate" not in sql and "votesessions_official" not in sql


@pytest.mark.django_db
def test_a_draft_session_is_not_read_at_start():
    build_cast()  # its sessions are drafts
    assert voting.keep_open_ballots() == 0


def test_the_server_starts_when_the_database_does_not_answer(monkeypatch, caplog):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr("tinnhiem.warmup.keep_open_ballots", refuse)
    keep_ballots()
    assert "without the open ballots kept" in caplog.text


def test_the_server_starts_when_the_database_accepts_but_never_answers(monkeypatch, caplog):
    answer = threading.Event()
    monkeypatch.setattr("tinnhiem.warmup.keep_open_ballots", lambda: answer.wait(30))
    monkeypatch.setattr("tinnhiem.warmup.KEEP_WAIT", 0.2)
    started = time.monotonic()
    keep_ballots()
    assert time.monotonic() - started < 5
    assert "did not answer within 0.2 s" in caplog.text
    answer.set()


def test_warm_up_leaves_no_language_active():
    translation.deactivate()
    warm_up()
    assert translation.get_language() == settings.LANGUAGE_CODE  # the default, none activated
    with translation.override("en"):
        warm_up()
        assert translation.get_language() == "en"


def test_the_start_page_kept_at_start_is_not_served_under_another_url_prefix():
    """Mounted under /tinnhiem/ (SCRIPT_NAME), the page's links carry the prefix."""
    voter_pages._kept.clear()
    warm_up()  # no SCRIPT_NAME here: kept for "/"
    with override_script_prefix("/tinnhiem/"):  # as WSGIHandler sets it from SCRIPT_NAME
        response = Client().get("/b/")
    assert 'action="/tinnhiem/b/"' in response.text
    assert 'action="/b/"' not in response.text
