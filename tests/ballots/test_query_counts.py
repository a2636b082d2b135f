"""The number of queries of a voter's ballot page and of a cast, pinned (issue 15): a
regression shows here, without timing anything. The counts do not grow with the number of
people on the ballot."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import codes, throttle
from sessions import services
from tests.factories import build_cast, full_choices, open_session, post_form

# Queries per request (issue 15 took them from 9 and 14). The ballot page, the same on SQLite
# and PostgreSQL: one read, of the code with its session's status, and in the same statement the
# throttle's test that this device and address are not locked (a right code counts nothing);
# the ballot itself comes from the process's FrozenBallot (ballots/voting.py), read once per
# session. The cast, vouched for (no throttle) and naming the ballot this process keeps: on
# PostgreSQL one statement (the code used while its session is open at the page's freezing, the
# ballot, its marks), on SQLite the same as one transaction of three statements (here a
# savepoint pair around them).
BALLOT_PAGE_QUERIES = 1
CAST_QUERIES = {"postgresql": 1, "sqlite": 5}


def _voting(extra_people: int):
    cast = build_cast()
    for n in range(extra_people):
        services.candidate_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name=f"Người Thêm {n + 1}",
            positions="Ủy viên",
        )
    cast.codes = open_session(cast.session, cast.secretariat)
    return cast


def _queries(client, cast):
    # The throttle prunes its old windows once per window and process: a first request does
    # that housekeeping, so it is not what is pinned.
    post_form(client, reverse("ballots:start"), {"code": codes.display(cast.codes[1])})
    code = codes.display(cast.codes[0])
    with CaptureQueriesContext(connection) as page:
        response = post_form(client, reverse("ballots:start"), {"code": code})
    assert response.status_code == 200
    # The ballot page's form sends back its hidden fields (the voucher: ballots/throttle.py; the
    # kept ballot's name: voting.kept_form), as a browser does.
    hidden = dict(
        re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', response.content.decode())
    )
    assert set(hidden) >= {"code", "voucher", "ballot"}, hidden
    choices = full_choices(cast.session)
    with CaptureQueriesContext(connection) as cast_queries:
        response = post_form(client, reverse("ballots:cast"), {**hidden, **choices})
    assert response.status_code == 302
    return len(page), len(cast_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("extra_people", [0, 12])
def test_the_ballot_page_and_a_cast_take_a_pinned_number_of_queries(
    client, monkeypatch, extra_people
):
    # One throttle window for the whole test: a window boundary between two requests would add
    # the pruning of the old window (housekeeping, not the request's own work).
    monkeypatch.setattr(throttle, "_window", lambda: 4_000_000)
    page, cast = _queries(client, _voting(extra_people))
    assert (page, cast) == (BALLOT_PAGE_QUERIES, CAST_QUERIES[connection.vendor]), (page, cast)
