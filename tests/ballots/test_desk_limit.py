"""The desk hands out no more slips than people checked in, unless the reason is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots import services
from ballots.models import CountSheet, VoterCode
from sessions import services as session_services
from sessions.models import AuditEvent
from tests.ballots.test_concurrency import run_together
from tests.built_once import built_once
from tests.factories import build_cast, check_in, fill_session, make_session


@built_once
def ready():
    cast = build_cast()
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.codes = services.codes_generate(actor=cast.secretariat, session=cast.session, count=8)
    return cast


def _active() -> int:
    return VoterCode.objects.filter(state="active").count()


def test_the_desk_refuses_a_slip_beyond_the_people_checked_in(client, ready):
    check_in(ready.session, 2)
    for code in ready.codes[:2]:
        assert services.code_activate(session=ready.session, raw=code) == "activated"
    with pytest.raises(ValidationError) as caught:
        services.code_activate(session=ready.session, raw=ready.codes[2])
    assert caught.value.code == "over_present"
    assert "2" in caught.value.messages[0]
    # The page says so, and the slip stays inert.
    client.force_login(ready.committee)
    url = reverse("ballots:desk", args=[ready.session.pk])
    response = client.post(url, {"code": ready.codes[2]}, follow=True)
    assert response.status_code == 200
    assert "phiếu" in response.text and _active() == 2
    # An already active slip is not refused at the limit; the next check-in allows one more.
    assert services.code_activate(session=ready.session, raw=ready.codes[0]) == "already"
    check_in(ready.session, 3)
    assert services.code_activate(session=ready.session, raw=ready.codes[2]) == "activated"


def test_with_nobody_checked_in_no_slip_is_handed_out(cast):
    # An NQ 96 sitting opens without the ⅔ quorum: the desk still hands slips only to people.
    session = fill_session(
        make_session(cast.org, cast.secretariat, regime="nq96"), cast.secretariat
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    codes = services.codes_generate(actor=cast.secretariat, session=session, count=4)
    services.session_open(actor=cast.secretariat, session=session)
    session.refresh_from_db()
    for code in codes:
        with pytest.raises(ValidationError):
            services.code_activate(session=session, raw=code)
    assert _active() == 0


def test_a_recorded_explanation_lets_the_desk_hand_out_more_and_is_audited(client, ready):
    check_in(ready.session, 1)
    services.code_activate(session=ready.session, raw=ready.codes[0])
    client.force_login(ready.committee)
    response = client.post(
        reverse("ballots:desk_explanation", args=[ready.session.pk]),
        {"explanation": "  Phát  thêm cho đại biểu khách mời  "},
    )
    assert response.status_code == 302
    sheet = CountSheet.objects.get(session=ready.session)
    assert sheet.explanation == "Phát thêm cho đại biểu khách mời"
    event = AuditEvent.objects.get(session=ready.session, action="issue_explanation_saved")
    assert event.detail["explanation"] == sheet.explanation
    assert services.code_activate(session=ready.session, raw=ready.codes[1]) == "activated"
    page = client.get(reverse("ballots:desk", args=[ready.session.pk])).text
    assert "Phát thêm cho đại biểu khách mời" in page


def test_only_the_desk_staff_record_the_explanation_and_only_while_it_matters(client, ready):
    url = reverse("ballots:desk_explanation", args=[ready.session.pk])
    for user in (ready.leader, ready.outsider, ready.other_secretariat):
        client.force_login(user)
        assert client.post(url, {"explanation": "X"}).status_code == 404
    assert not CountSheet.objects.filter(session=ready.session).exists()
    session_services.session_back_to_draft(actor=ready.secretariat, session=ready.session)
    client.force_login(ready.secretariat)
    client.post(url, {"explanation": "X"})
    assert not CountSheet.objects.filter(session=ready.session).exists()
    response = client.post(url, {"explanation": "x" * 501}, follow=True)
    assert response.status_code == 200
    assert not CountSheet.objects.filter(session=ready.session).exists()


@pytest.mark.django_db(transaction=True)
def test_two_desks_handing_out_the_last_allowed_slip_at_once_cannot_both_succeed(cast_tx):
    session_services.session_mark_ready(actor=cast_tx.secretariat, session=cast_tx.session)
    codes = services.codes_generate(actor=cast_tx.secretariat, session=cast_tx.session, count=8)
    check_in(cast_tx.session, 3)
    for code in codes[:2]:
        services.code_activate(session=cast_tx.session, raw=code)
    # Four desks, four different slips, one place left.
    outcomes = run_together(
        [
            lambda code=code: services.code_activate(session=cast_tx.session, raw=code)
            for code in codes[2:6]
        ]
    )
    assert outcomes.count("activated") == 1, outcomes
    assert all(
        isinstance(o, ValidationError) and o.code == "over_present"
        for o in outcomes
        if o != "activated"
    ), outcomes
    assert VoterCode.objects.filter(session=cast_tx.session, state="active").count() == 3
