"""Casting: one ballot per code, all of it or nothing, and a clear page for every refusal."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from ballots import codes, services
from ballots.models import Ballot, Mark, VoterCode
from ballots.services import BallotRefused
from tests.built_once import built_once
from tests.factories import build_cast, full_choices, open_session, post_form


@built_once
def voting():
    """The cast's session, open, with 10 printed codes of which the first 5 are active."""
    cast = build_cast()
    cast.codes = open_session(cast.session, cast.secretariat)
    return cast


def _cast(client, code, choices):
    return post_form(client, reverse("ballots:cast"), {"code": code, **choices})


def _nothing_stored():
    return not Ballot.objects.exists() and not Mark.objects.exists()


def test_a_voter_goes_from_code_to_recorded_ballot(client, voting):
    code = codes.display(voting.codes[0])
    start = post_form(client, reverse("ballots:start"), {"code": code.lower()})
    assert start.status_code == 200
    page = start.content.decode()
    for candidate in voting.session.candidates.filter(excluded=False):
        assert candidate.official.full_name in page
    assert page.count('type="radio"') == 3 * 3  # three candidates, three levels
    first, second, third = voting.session.candidates.order_by("order")
    review = post_form(
        client,
        reverse("ballots:review"),
        {"code": code, f"c{first.pk}": "high", f"c{second.pk}": "low"},
    )
    assert review.status_code == 200
    assert "invalid" in review.content.decode().lower() or "không hợp lệ" in review.content.decode()
    assert review.context["blanks"] == 1
    done = _cast(
        client, code, {f"c{first.pk}": "high", f"c{second.pk}": "low", f"c{third.pk}": "blank"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("ballots:done")
    marks = dict(Mark.objects.values_list("candidate_id", "level"))
    assert marks == {first.pk: "high", second.pk: "low", third.pk: "invalid"}
    assert VoterCode.objects.get(code_hash=codes.code_hash(voting.codes[0])).state == "used"


def test_every_voter_page_forbids_caching(client, voting):
    code = voting.codes[0]
    responses = [
        client.get(reverse("ballots:start")),
        post_form(client, reverse("ballots:start"), {"code": code}),
        post_form(client, reverse("ballots:review"), {"code": code}),
        client.get(reverse("ballots:done")),
    ]
    for response in responses:
        assert "no-store" in response["Cache-Control"]


def test_the_recorded_page_shows_nothing_of_the_ballot(client, voting):
    _cast(client, voting.codes[0], full_choices(voting.session))
    page = client.get(reverse("ballots:done")).content.decode()
    for candidate in voting.session.candidates.all():
        assert candidate.official.full_name not in page


def test_a_retried_submit_says_already_recorded(client, voting):
    choices = full_choices(voting.session)
    assert _cast(client, voting.codes[0], choices).status_code == 302
    again = _cast(client, voting.codes[0], choices)
    assert again.status_code == 409
    assert again.context["reason"] == "used"
    assert Ballot.objects.count() == 1


def test_going_back_to_the_review_after_voting_shows_no_choices(client, voting):
    choices = full_choices(voting.session, "low")
    _cast(client, voting.codes[0], choices)
    back = post_form(client, reverse("ballots:review"), {"code": voting.codes[0], **choices})
    assert back.status_code == 409
    assert "rows" not in back.context


@pytest.mark.parametrize(
    ("make_code", "status", "reason"),
    [
        (lambda v: "NOT-A-CODE", 400, "format"),
        (lambda v: "7KQ2M-9XH4C-TD8WZ", 404, "unknown"),
        (lambda v: v.codes[9], 403, "inert"),
    ],
)
def test_bad_codes_get_a_clear_refusal(client, voting, make_code, status, reason):
    response = post_form(client, reverse("ballots:start"), {"code": make_code(voting)})
    assert response.status_code == status
    assert response.context["reason"] == reason
    assert response.context["message"]


def test_a_voided_code_is_refused(client, voting):
    VoterCode.objects.filter(code_hash=codes.code_hash(voting.codes[0])).update(state="void")
    response = post_form(client, reverse("ballots:start"), {"code": voting.codes[0]})
    assert (response.status_code, response.context["reason"]) == (410, "void")


def test_the_refusal_pages_are_in_vietnamese(client, voting):
    response = post_form(client, reverse("ballots:start"), {"code": voting.codes[9]})
    assert "bàn" in response.content.decode().lower()  # "kích hoạt tại bàn ..."


def _other_session_candidate(cast):
    return cast.other_session.candidates.first()


@pytest.mark.parametrize(
    "tamper",
    [
        "foreign_candidate",
        "unknown_level",
        "duplicated_field",
        "missing_field",
        "excluded_candidate",
    ],
)
def test_a_tampered_ballot_is_refused_whole_and_the_code_stays_usable(client, voting, tamper):
    session = voting.session
    choices = full_choices(session)
    data = {"code": voting.codes[0], **choices}
    if tamper == "foreign_candidate":
        data[f"c{_other_session_candidate(voting).pk}"] = "high"
    elif tamper == "unknown_level":
        data[next(iter(choices))] = "yes"  # a vote-of-confidence level on a rating ballot
    elif tamper == "duplicated_field":
        key = next(iter(choices))
        data[key] = ["high", "low"]
    elif tamper == "missing_field":
        del data[next(iter(choices))]
    elif tamper == "excluded_candidate":
        from sessions.models import Candidate

        first = session.candidates.order_by("order").first()
        Candidate.objects.filter(pk=first.pk).update(excluded=True, exclusion_reason="retiring")
    response = post_form(client, reverse("ballots:cast"), data)
    assert response.status_code == 400
    assert response.context["reason"] == "tampered"
    assert _nothing_stored()
    assert VoterCode.objects.get(code_hash=codes.code_hash(voting.codes[0])).state == "active"


def test_a_huge_body_is_refused_with_a_4xx_and_nothing_stored(client, voting):
    data = {"code": voting.codes[0], **full_choices(voting.session), "pad": "x" * (5 * 1024 * 1024)}
    response = post_form(client, reverse("ballots:cast"), data)
    assert 400 <= response.status_code < 500
    assert _nothing_stored()


def test_a_forged_csrf_token_is_refused_with_a_translated_page(voting):
    client = Client(enforce_csrf_checks=True)
    response = post_form(
        client,
        reverse("ballots:cast"),
        {"code": voting.codes[0], **full_choices(voting.session), "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    assert (
        "phiên" in response.content.decode().lower() or "csrf" in response.content.decode().lower()
    )
    assert _nothing_stored()


def test_after_close_no_code_works(client, voting):
    _cast(client, voting.codes[0], full_choices(voting.session))
    services.session_close(actor=voting.secretariat, session=voting.session)
    for code in (voting.codes[1], voting.codes[9]):
        response = post_form(client, reverse("ballots:start"), {"code": code})
        assert response.context["reason"] == "closed"
        response = _cast(client, code, full_choices(voting.session))
        assert response.status_code == 403
    assert Ballot.objects.count() == 1


def test_casting_takes_a_handful_of_queries_whatever_the_number_of_candidates(
    client, voting, django_assert_max_num_queries
):
    choices = full_choices(voting.session)
    # Sent without its voucher or its ballot: the code read with the throttle's test (a right
    # code counts nothing; ballots/throttle.py), once per window a sweep of old windows, the
    # session and its people read once per process (FrozenBallot), then the cast's one
    # statement (PostgreSQL) or transaction of three in a savepoint pair (SQLite).
    with django_assert_max_num_queries(9):
        _cast(client, voting.codes[0], choices)


def test_codes_and_choices_never_reach_the_logs(client, voting, caplog):
    caplog.set_level(logging.DEBUG)
    code = voting.codes[0]
    post_form(client, reverse("ballots:start"), {"code": code})
    _cast(client, code, full_choices(voting.session, "low"))
    _cast(client, code, full_choices(voting.session, "low"))  # refused: already recorded
    post_form(client, reverse("ballots:start"), {"code": voting.codes[9]})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/b/" not in logged  # not even the refusals: no time of a ballot request
    for secret in (code, codes.display(code), voting.codes[9], codes.display(voting.codes[9])):
        assert secret not in logged


def test_a_refused_service_call_raises_with_the_reason(voting):
    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(raw=voting.codes[9], choices={})
    assert refused.value.reason == "inert"
