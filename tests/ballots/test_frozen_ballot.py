"""The ballot a process keeps per session (ballots/voting.py FrozenBallot): read once, shown to
every voter of that session, never to another session's, in the voter's language."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import codes, voting
from ballots import services as ballot_services
from ballots.models import Ballot, Mark, VoterCode
from sessions import services
from tests.factories import build_cast, full_choices, open_session, post_form

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


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))


def _cast(client: Client, sent: dict) -> HttpResponse:
    return post_form(client, reverse("ballots:cast"), sent)


def test_a_cast_from_the_page_names_the_kept_ballot_and_reads_no_code_first():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    sent = {**_hidden(_page(Client(), plain[0])), **full_choices(cast.session)}
    assert sent["ballot"] == f"{cast.session.public_id}.{cast.session.ready_count}"
    with CaptureQueriesContext(connection) as queries:
        assert _cast(Client(), sent).status_code == 302
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert Ballot.objects.count() == 1
    assert set(Mark.objects.values_list("level", flat=True)) == {"high"}


@pytest.mark.parametrize(
    ("then", "status", "reason"),
    [("cast", 409, "used"), ("close", 403, "closed"), ("void", 410, "void")],
)
def test_a_kept_ballots_cast_refused_by_the_gate_says_why_and_writes_nothing(then, status, reason):
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    sent = {**_hidden(_page(Client(), plain[0])), **full_choices(cast.session)}
    if then == "cast":
        assert _cast(Client(), sent).status_code == 302
    elif then == "close":
        ballot_services.session_close(
            actor=cast.secretariat, session=cast.session, confirm_empty=True
        )
    else:
        VoterCode.objects.filter(code_hash=codes.code_hash(plain[0])).update(state="void")
    before = Ballot.objects.count()
    response = _cast(Client(), sent)
    assert (response.status_code, response.context["reason"]) == (status, reason)
    assert Ballot.objects.count() == before


def test_a_cast_naming_another_sessions_ballot_is_refused_whole():
    """The choices fit the other session's ballot, the code is of this one: the gate refuses the
    other session, the long way reads the code, and its own ballot does not fit the choices."""
    cast = build_cast()
    mine = open_session(cast.session, cast.secretariat)
    theirs = open_session(cast.other_session, cast.other_secretariat)
    their_page = _hidden(_page(Client(), theirs[0]))
    sent = {
        **_hidden(_page(Client(), mine[0])),
        "ballot": their_page["ballot"],
        **full_choices(cast.other_session),
    }
    response = _cast(Client(), sent)
    assert (response.status_code, response.context["reason"]) == (400, "tampered")
    assert not Ballot.objects.exists()
    assert VoterCode.objects.get(code_hash=codes.code_hash(mine[0])).state == "active"


@pytest.mark.parametrize(
    "ref",
    # Digits int() refuses though str.isdigit() accepts them, or too many to convert (the
    # attacker's 500s), full-width ones, and plain nonsense.
    ["", "nonsense", "x.y", "0.1", "a" * 500 + ".1", "{id}.\u00b2", "{id}.\u2460", "{id}.１"]
    + ["{id}." + "9" * 5000, "{id}.-1", "{id}.1.1", "{id}.1 "],
)
def test_a_cast_naming_no_kept_ballot_goes_the_long_way(ref):
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    ref = ref.replace("{id}", cast.session.public_id)
    sent = {**_hidden(_page(Client(), plain[0])), "ballot": ref, **full_choices(cast.session)}
    assert _cast(Client(), sent).status_code == 302
    assert Ballot.objects.count() == 1
    assert _cast(Client(), sent).context["reason"] == "used"


def test_a_used_codes_voucher_does_not_tell_which_ballots_this_process_keeps():
    """A used code's voucher stays valid and is never throttled: sent with another session's
    ballot, the answer must not depend on whether this process keeps that ballot."""
    cast = build_cast()
    mine = open_session(cast.session, cast.secretariat)
    theirs = open_session(cast.other_session, cast.other_secretariat)
    sent = {**_hidden(_page(Client(), mine[0])), **full_choices(cast.session)}
    assert _cast(Client(), sent).status_code == 302
    probe = {**sent, "ballot": f"{cast.other_session.public_id}.{cast.other_session.ready_count}"}
    voting.forget_frozen_ballots()
    not_kept = _cast(Client(), probe)
    _page(Client(), theirs[0])  # now kept
    kept = _cast(Client(), probe)
    assert (not_kept.status_code, not_kept.context["reason"]) == (409, "used")
    assert (kept.status_code, kept.context["reason"]) == (409, "used")
