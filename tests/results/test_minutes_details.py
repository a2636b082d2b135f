"""The minutes' details (number, copies, when the count began and ended): entered by the session's
staff before certification, refused afterwards and to anyone else, audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ballots import services as ballot_services
from results import services as result_services
from sessions.models import AuditEvent, VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, open_session
from tests.results.test_minutes_document import text_of

VALID = {
    "document_number": "12",
    "minutes_copies": "3",
    "count_started_at": "14:05",
    "count_ended_at": "15:30",
}


@built_once
def closed():
    cast = build_cast()
    open_session(cast.session, cast.secretariat, codes=3, activate=1)
    ballot_services.session_close(actor=cast.secretariat, session=cast.session, confirm_empty=True)
    cast.session.refresh_from_db()
    return cast


def _url(session: VotingSession) -> str:
    return reverse("results:minutes_details", args=[session.pk])


def _details(session: VotingSession) -> tuple:
    session.refresh_from_db()
    return (
        session.document_number,
        session.minutes_copies,
        session.count_started_at,
        session.count_ended_at,
    )


UNTOUCHED = ("", 2, None, None)


@pytest.mark.parametrize("who", ["committee", "secretariat"])
def test_the_sessions_staff_enter_the_details_and_the_trail_records_them(client, closed, who):
    client.force_login(getattr(closed, who))
    page = client.get(_url(closed.session))
    assert page.status_code == 200 and "Số biên bản" in page.content.decode()
    response = client.post(_url(closed.session), VALID)
    assert response.status_code == 302
    assert _details(closed.session) == ("12", 3, datetime.time(14, 5), datetime.time(15, 30))
    event = AuditEvent.objects.filter(session=closed.session).order_by("-pk").first()
    assert event.action == "session_updated"
    assert event.detail == {
        "document_number": "12",
        "minutes_copies": 3,
        "count_started_at": "14:05",
        "count_ended_at": "15:30",
    }


def test_the_draft_minutes_print_what_was_entered(client, closed):
    client.force_login(closed.committee)
    client.post(_url(closed.session), VALID)
    text = text_of(client.get(reverse("results:minutes", args=[closed.session.pk])).content)
    assert "Số: 12/BB-BKP" in text
    assert "Hôm nay, vào hồi 14 giờ 05 phút" in text
    assert "Biên bản được lập thành 03 bản" in text
    assert "kết thúc vào hồi 15 giờ 30 phút" in text


def test_the_results_page_links_the_staff_to_the_details(client, closed):
    client.force_login(closed.secretariat)
    page = client.get(reverse("results:page", args=[closed.session.pk])).content.decode()
    assert _url(closed.session) in page
    client.force_login(closed.leader)
    page = client.get(reverse("results:page", args=[closed.session.pk])).content.decode()
    assert _url(closed.session) not in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minutes_copies", "0"),
        ("minutes_copies", "99"),
        ("minutes_copies", "hai"),
        ("document_number", "12/BB-BKP"),
        ("document_number", "12 a"),
        ("count_started_at", "25:00"),
        ("count_ended_at", "13:00"),  # before the count began
    ],
)
def test_bad_input_gets_a_form_error_and_changes_nothing(client, closed, field, value):
    client.force_login(closed.committee)
    response = client.post(_url(closed.session), {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert _details(closed.session) == UNTOUCHED


@pytest.mark.parametrize("who", ["outsider", "other_secretariat", "leader", "parent_leader"])
def test_anyone_but_the_sessions_staff_finds_no_such_page(client, closed, who):
    client.force_login(getattr(closed, who))
    assert client.get(_url(closed.session)).status_code == 404
    assert client.post(_url(closed.session), VALID).status_code == 404
    assert _details(closed.session) == UNTOUCHED


def test_a_session_still_voting_has_no_details_page(client, cast):
    open_session(cast.session, cast.secretariat, codes=3, activate=1)
    client.force_login(cast.committee)
    assert client.post(_url(cast.session), VALID).status_code == 404


def test_after_certification_the_details_are_refused_with_a_clear_message(client, closed):
    result_services.result_certify(actor=closed.committee, session=closed.session)
    client.force_login(closed.committee)
    response = client.post(_url(closed.session), VALID)
    assert response.status_code == 409
    assert "biên bản đã cố định" in response.content.decode()
    assert client.get(_url(closed.session)).status_code == 409
    assert _details(closed.session) == UNTOUCHED


def test_saving_the_same_details_twice_records_one_change(client, closed):
    client.force_login(closed.committee)
    client.post(_url(closed.session), VALID)
    before = AuditEvent.objects.filter(session=closed.session).count()
    response = client.post(_url(closed.session), VALID, follow=True)
    assert "Không có gì thay đổi." in response.content.decode()
    assert AuditEvent.objects.filter(session=closed.session).count() == before
