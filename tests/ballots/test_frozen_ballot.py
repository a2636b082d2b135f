"""The ballot a process keeps per session (ballots/voting.py FrozenBallot): read once, shown to
every voter of that session, never to another session's, in the voter's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import codes, voting
from sessions import services
from tests.factories import build_cast, open_session, post_form

pytestmark = pytest.mark.django_db


def _page(client: Client, code: str) -> str:
    response = post_form(client, reverse("ballots:start"), {"code": codes.display(code)})
    assert response.status_code == 200
    return response.content.decode()


def _names(session) -> set[str]:
    return set(
        session.candidates.filter(excluded=False).values_list("official__full_name", flat=True)
    )


def test_two_open_sessions_each_show_their_own_people():
    cast = build_cast()
    for session, actor, name in (
        (cast.session, cast.secretariat, "Người Chỉ Ở Hội Này"),
        (cast.other_session, cast.other_secretariat, "Người Chỉ Ở Hội Kia"),
    ):
        services.candidate_add(actor=actor, session=session, full_name=name, positions="Ủy viên")
    mine = open_session(cast.session, cast.secretariat)
    theirs = open_session(cast.other_session, cast.other_secretariat)
    for code, shown, hidden in (
        (mine[0], cast.session, "Người Chỉ Ở Hội Kia"),
        (theirs[0], cast.other_session, "Người Chỉ Ở Hội Này"),
        (mine[1], cast.session, "Người Chỉ Ở Hội Kia"),
    ):
        page = _page(Client(), code)
        assert all(name in page for name in _names(shown))
        assert hidden not in page
        assert shown.title in page


def test_the_second_voter_of_a_session_costs_no_read_of_its_people():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    _page(Client(), plain[0])
    with CaptureQueriesContext(connection) as queries:
        page = _page(Client(), plain[1])
    assert all(name in page for name in _names(cast.session))
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "votesessions_candidate" not in tables
    assert "votesessions_official" not in tables


def test_the_kept_rows_are_in_the_language_of_each_voter():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    vietnamese = _page(Client(), plain[0])
    english = Client()
    english.cookies["django_language"] = "en"
    in_english = _page(english, plain[1])
    assert "Tín nhiệm cao" in vietnamese and "High confidence" not in vietnamese
    assert "High confidence" in in_english and "Tín nhiệm cao" not in in_english


def test_a_ballot_kept_under_an_earlier_freezing_is_not_shown_after_a_new_one():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    _page(Client(), plain[0])
    kept = voting.frozen_ballot(cast.session.pk, cast.session.public_id, 1)
    other = voting.frozen_ballot(cast.session.pk, cast.session.public_id, 2)
    assert kept is not other
    assert voting.frozen_ballot(cast.session.pk, cast.session.public_id, 1) is kept


def test_no_more_than_the_limit_of_sessions_is_kept(monkeypatch):
    cast = build_cast()
    monkeypatch.setattr(voting, "KEEP", 2)
    first = voting.frozen_ballot(cast.session.pk, cast.session.public_id, 1)
    voting.frozen_ballot(cast.session.pk, cast.session.public_id, 2)
    voting.frozen_ballot(cast.session.pk, cast.session.public_id, 3)
    assert voting.frozen_ballot(cast.session.pk, cast.session.public_id, 1) is not first


def test_a_body_renamed_during_the_vote_shows_its_new_name_to_the_next_voter():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    assert cast.org.name in _page(Client(), plain[0])
    type(cast.org).objects.filter(pk=cast.org.pk).update(name="Hội Cựu chiến binh tỉnh (mới)")
    assert "Hội Cựu chiến binh tỉnh (mới)" in _page(Client(), plain[1])


def test_the_screen_ballot_has_the_paper_ballots_title():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    page = _page(Client(), plain[0])
    assert "PHIẾU TÍN NHIỆM" in page
    assert "PHIẾU LẤY PHIẾU" not in page
