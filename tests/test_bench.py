"""bench/: the load generator's voter follows the real pages, and the report says what is missing.

`make bench` is never run by the tests; these check that its voter still fills the forms the
voter pages carry (a change to the pages that the harness would silently get wrong fails here),
and that docs/benchmarks.md is written whatever part of the figures is missing.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.test import Client

from ballots.models import Ballot, Mark
from tests.built_once import built_once
from tests.factories import build_cast, open_session, post_form

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import load  # noqa: E402
import report  # noqa: E402


@built_once
def voting():
    cast = build_cast()
    cast.codes = open_session(cast.session, cast.secretariat)
    return cast


def test_the_bench_voter_casts_through_the_forms_of_the_five_pages(voting):
    client = Client(enforce_csrf_checks=True)
    start = client.get("/b/")
    entry = load.form_to(start.content, "/b/")
    page = post_form(client, entry.action, {**dict(entry.hidden), "code": voting.codes[0]})
    ballot = load.form_to(page.content, "/b/review/")
    candidates = voting.session.candidates.filter(excluded=False)
    assert len(ballot.radios) == candidates.count()
    review = post_form(client, ballot.action, dict(ballot.filled()))
    cast = load.form_to(review.content, "/b/cast/")
    done = post_form(client, cast.action, dict(cast.hidden))
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200
    assert Ballot.objects.count() == 1
    assert set(Mark.objects.values_list("level", flat=True)) == {load.CHOICE}


def test_the_three_request_voter_casts_the_ballot_page_form_straight_away(voting):
    client = Client(enforce_csrf_checks=True)
    entry = load.form_to(client.get("/b/").content, "/b/")
    page = post_form(client, entry.action, {**dict(entry.hidden), "code": voting.codes[1]})
    ballot = load.form_to(page.content, "/b/review/")
    assert post_form(client, "/b/cast/", dict(ballot.filled())).status_code == 302
    assert Mark.objects.count() == voting.session.candidates.filter(excluded=False).count()


def _cpu() -> dict:
    return {
        "wall_s": 5.0,
        "generator_s": 1.0,
        "app_s": 4.0,
        "nginx_s": 0.0,
        "db_s": None,
        "machine_busy_s": 9.0,
        "machine_s": 10.0,
    }


def test_the_report_says_not_measured_for_the_figures_another_part_did_not_give():
    check = {"ballots": 10, "used": 10, "successes": 10, "marks": 200, "consistent": True}
    run = {
        "kind": "16 concurrent voters",
        "steps": 3,
        "concurrency": 16,
        "ballots_per_s": 150.0,
        "healthz_rps": 1000.0,
        **{f"{p}_ms": 10.0 for p in ("p50", "p95", "p99", "max", "vote_p99")},
        "errors": {},
        "server_errors": 0,
        "successes": 10,
        "cpu": _cpu(),
        "check": check,
    }
    result = {
        "database": "PostgreSQL",
        "workers": 4,
        "machine": "test",
        "pinning": {"server_cpus": [0], "generator_cpus": [1]},
        "runs": [run],
        "healthz": [{"rps": 1000.0, "cpu": _cpu()}],
        "healthz_rps": 1000.0,
        "inprocess": {"tally": {}, "documents": {"code slips, 500 codes": 1.5}},
    }
    text = report.render([result], datetime.date(2026, 1, 1))
    assert "| PostgreSQL: 16 voters, 3-request flow, ratio ≥ 0.15 | **0.150**" in text
    assert "| PostgreSQL: 500 code slips < 2 s | 1.50 s | met |" in text
    assert "| PostgreSQL: minutes, 200 people < 1 s | not measured | not measured |" in text
    assert "| PostgreSQL: tally of 10,000 × 50 < 100 ms | not measured | not measured |" in text
