"""The desk unlocks a voting device that entered too many wrong codes (issue 16, item 7)."""

from __future__ import annotations

import re
import secrets

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ballots import services, throttle
from ballots.models import GuessCount
from sessions import services as session_services
from sessions.models import AuditEvent
from tests.ballots.test_concurrency import run_together
from tests.ballots.test_throttle import WRONG, _device, _guess, lookups  # noqa: F401 (fixture)
from tests.factories import fill_session, make_session, open_session, post_form


def _lock_out(client: Client) -> str:
    """Guess until the device is locked; the number its lockout page shows."""
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        assert _guess(client) == 404
    page = post_form(client, reverse("ballots:start"), {"code": WRONG})
    assert page.status_code == 429
    shown = re.search(r'data-testid="device-number">(\d{3}) (\d{3})<', page.content.decode())
    assert shown, "the locked device shows its number"
    return shown[1] + shown[2]


def test_a_locked_device_says_to_ask_the_desk_and_the_desk_unlocks_it(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    number = _lock_out(client)
    page = post_form(client, reverse("ballots:start"), {"code": codes[0]}).content.decode()
    assert "Hãy nhờ bàn đón tiếp mở khóa" in page  # "ask the desk to unlock it"
    assert _guess(client, codes[0]) == 429  # even a right code, while locked

    desk = Client()
    desk.force_login(cast.committee)
    response = desk.post(
        reverse("ballots:desk_unlock", args=[cast.session.pk]),
        {"number": f"{number[:3]} {number[3:]}"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#unlock")
    assert "Đã mở khóa thiết bị" in desk.get(response["Location"]).content.decode()
    assert _guess(client, codes[0]) == 200

    event = AuditEvent.objects.get(session=cast.session, action="device_unlocked")
    assert event.actor == cast.committee
    assert event.detail == {"wrong_codes": settings.CODE_GUESS_DEVICE_LIMIT}  # no device, no code


def test_unlocking_forgives_only_that_device_and_keeps_the_address_limit(client, cast):
    open_session(cast.session, cast.secretariat)
    other = _device(secrets.token_urlsafe(16))
    for _ in range(3):
        _guess(other)
    number = _lock_out(client)
    before = dict(GuessCount.objects.values_list("bucket", "count"))
    net = next(bucket for bucket in before if bucket.startswith("net:"))

    assert services.device_unlock(actor=cast.secretariat, session=cast.session, number=number) == 10

    after = dict(GuessCount.objects.values_list("bucket", "count"))
    assert after[net] == before[net]  # the per-address limit still counts every wrong code
    assert sorted(after.values()) == [3, before[net]]  # the other device keeps its 3
    assert _guess(client) == 404  # and this one starts again from zero


def test_the_desk_is_told_clearly_when_a_number_matches_no_device(cast):
    open_session(cast.session, cast.secretariat)
    with pytest.raises(ValidationError) as excinfo:
        services.device_unlock(actor=cast.secretariat, session=cast.session, number="12 34")
    assert excinfo.value.code == "bad_number"
    with pytest.raises(ValidationError) as excinfo:
        services.device_unlock(actor=cast.secretariat, session=cast.session, number="123456")
    assert excinfo.value.code == "no_device"
    assert "123456" in excinfo.value.messages[0]
    assert not AuditEvent.objects.filter(action="device_unlocked").exists()


def test_only_the_desk_of_an_open_electronic_session_unlocks_devices(client, cast):
    paper = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"), cast.secretariat
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=paper)
    for voter in paper.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=paper)
    with pytest.raises(ValidationError) as excinfo:
        services.device_unlock(actor=cast.secretariat, session=paper, number="123456")
    assert excinfo.value.code == "not_open"
    with pytest.raises(ValidationError):  # not open yet
        services.device_unlock(actor=cast.secretariat, session=cast.session, number="123456")
    open_session(cast.session, cast.secretariat)
    number = _lock_out(client)
    url = reverse("ballots:desk_unlock", args=[cast.session.pk])
    for who in ("leader", "other_secretariat", "outsider"):
        staff = Client()
        staff.force_login(getattr(cast, who))
        assert staff.post(url, {"number": number}).status_code == 404
    assert staff.get(url).status_code == 405
    assert _guess(client) == 429  # still locked


def test_the_desk_page_offers_the_unlock_only_while_voting_is_open(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("ballots:desk", args=[cast.session.pk])
    open_session(cast.session, cast.secretariat)
    assert 'id="unlock"' in client.get(url).content.decode()
    services.session_close(actor=cast.secretariat, session=cast.session, confirm_empty=True)
    assert 'id="unlock"' not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_unlocking_while_the_device_keeps_guessing_lets_at_most_the_limit_through(
    cast_tx,
    lookups,  # noqa: F811
):
    open_session(cast_tx.session, cast_tx.secretariat)
    token = secrets.token_urlsafe(16)
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        _guess(_device(token))
    lookups.clear()
    number = throttle.device_number(type("R", (), {"COOKIES": {throttle.DEVICE_COOKIE: token}})())

    def unlock():
        return services.device_unlock(
            actor=cast_tx.secretariat, session=cast_tx.session, number=number
        )

    results = run_together([unlock] + [lambda: _guess(_device(token)) for _ in range(30)])
    assert results[0] == settings.CODE_GUESS_DEVICE_LIMIT, results[0]
    statuses = results[1:]
    assert set(statuses) <= {404, 429}, statuses
    assert len(lookups) <= settings.CODE_GUESS_DEVICE_LIMIT
    assert len(lookups) == statuses.count(404)
    device = throttle._bucket("device", token)
    counted = GuessCount.objects.filter(bucket=device).values_list("count", flat=True)
    assert sum(counted) == len(lookups)  # every guess after the unlock is counted again


def test_the_audit_trail_shows_what_the_opening_and_an_unlock_recorded(client, cast):
    open_session(cast.session, cast.secretariat)
    number = _lock_out(client)
    services.device_unlock(actor=cast.secretariat, session=cast.session, number=number)
    opened = AuditEvent.objects.get(session=cast.session, action="voting_opened").detail
    staff = Client()
    staff.force_login(cast.secretariat)
    page = staff.get(reverse("votesessions:audit", args=[cast.session.pk])).content.decode()
    assert "đã xóa 10 lần nhập sai mã" in page
    assert f"có mặt {opened['present']}/{opened['summoned']}" in page
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff.get(reverse("votesessions:audit", args=[cast.session.pk])).content.decode()
    assert "10 wrong codes forgiven" in page
    assert f"{opened['present']} of {opened['summoned']} present" in page
