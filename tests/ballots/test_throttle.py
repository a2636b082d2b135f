"""The guess throttle: atomic counts under concurrency, fixed windows, and nothing about voters."""

from __future__ import annotations

import datetime
import secrets

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import throttle, voter_views
from ballots.models import GuessCount
from ballots.refusals import BallotRefused
from tests.ballots.test_concurrency import run_together
from tests.factories import full_choices, open_session, post_form

WRONG = "7KQ2M-9XH4C-TD8WZ"


@pytest.fixture
def lookups(monkeypatch):
    """Every code whose check was answered (from any thread): the voter learned whether it is
    right, used, closed..., not just "too many tries". A guess counted nowhere is not answered."""
    seen: list[str] = []
    real = voter_views._check_code

    def check(request, raw):
        try:
            found = real(request, raw)
        except BallotRefused as refused:
            if refused.reason != "throttled":
                seen.append(raw)
            raise
        seen.append(raw)
        return found

    monkeypatch.setattr(voter_views, "_check_code", check)
    return seen


def _guess(client: Client, code: str = WRONG) -> int:
    return post_form(client, reverse("ballots:start"), {"code": code}).status_code


def _device(token: str) -> Client:
    client = Client()
    client.cookies[throttle.DEVICE_COOKIE] = token
    return client


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_codes_from_one_device_let_exactly_the_limit_through(
    cast_tx, lookups
):
    open_session(cast_tx.session, cast_tx.secretariat)
    token = secrets.token_urlsafe(16)
    statuses = run_together([lambda: _guess(_device(token)) for _ in range(30)])
    limit = settings.CODE_GUESS_DEVICE_LIMIT
    assert len(lookups) == limit
    assert sorted(statuses) == [404] * limit + [429] * (30 - limit), statuses
    assert _guess(_device(token)) == 429  # and it stays locked


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_devices_on_one_address_let_exactly_the_network_limit_through(
    cast_tx, lookups, settings
):
    settings.CODE_GUESS_NETWORK_LIMIT = 25
    open_session(cast_tx.session, cast_tx.secretariat)
    statuses = run_together([lambda: _guess(Client()) for _ in range(40)])
    assert len(lookups) == 25
    assert sorted(statuses) == [404] * 25 + [429] * 15, statuses


@pytest.mark.django_db(transaction=True)
def test_right_codes_in_parallel_are_not_counted_against_the_hall(cast_tx, settings):
    settings.CODE_GUESS_NETWORK_LIMIT = 5
    codes = open_session(cast_tx.session, cast_tx.secretariat, codes=30, activate=30)
    statuses = run_together([lambda c=c: _guess(Client(), c) for c in codes])
    # A right code counts nowhere, not even for a moment: none is told to wait.
    assert statuses == [200] * 30, statuses
    assert not GuessCount.objects.exists()
    assert all(_guess(Client(), code) == 200 for code in codes)


def test_the_lockout_message_says_it_is_this_device(client, cast):
    open_session(cast.session, cast.secretariat)
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        _guess(client)
    response = post_form(client, reverse("ballots:start"), {"code": WRONG})
    assert response.status_code == 429
    assert "Thiết bị này đã nhập sai mã" in response.content.decode()  # "this device"
    with_english = Client()
    with_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with_english.cookies[throttle.DEVICE_COOKIE] = client.cookies[throttle.DEVICE_COOKIE].value
    page = post_form(with_english, reverse("ballots:start"), {"code": WRONG}).content.decode()
    assert "Too many wrong codes from this device" in page


def test_a_device_gets_its_id_in_its_own_cookie_at_its_first_wrong_code(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    right = post_form(client, reverse("ballots:start"), {"code": codes[0]})
    assert throttle.DEVICE_COOKIE not in right.cookies  # a right code: nothing to remember
    wrong = post_form(client, reverse("ballots:start"), {"code": WRONG})
    cookie = wrong.cookies[throttle.DEVICE_COOKIE]
    assert len(cookie.value) == 22 and cookie["httponly"] and cookie["path"] == "/b/"
    assert not cookie["expires"] and not cookie["max-age"]  # gone when the browser closes


def test_a_forged_device_cookie_is_replaced_not_trusted(client, cast):
    open_session(cast.session, cast.secretariat)
    client.cookies[throttle.DEVICE_COOKIE] = "x" * 500
    response = post_form(client, reverse("ballots:start"), {"code": WRONG})
    assert response.status_code == 404
    assert len(response.cookies[throttle.DEVICE_COOKIE].value) == 22
    assert all(len(bucket) <= 40 for bucket in GuessCount.objects.values_list("bucket", flat=True))


def test_a_voter_leaves_no_session_and_no_time_finer_than_the_window(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    choices = full_choices(cast.session)
    assert settings.CSRF_USE_SESSIONS is False  # the CSRF token lives in its own cookie
    assert _guess(client) == 404
    assert _guess(client, codes[0]) == 200
    review = post_form(client, reverse("ballots:review"), {"code": codes[0], **choices})
    assert review.status_code == 200
    cast_response = post_form(client, reverse("ballots:cast"), {"code": codes[0], **choices})
    assert cast_response.status_code == 302
    assert client.get(cast_response["Location"]).status_code == 200
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies
    window = int(datetime.datetime.now(tz=datetime.UTC).timestamp()) // settings.CODE_GUESS_WINDOW
    rows = list(GuessCount.objects.values())
    assert rows and {row["window"] for row in rows} == {window}
    assert {tuple(sorted(row)) for row in rows} == {("bucket", "count", "window")}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")
        assert cursor.fetchone()[0] == 0  # the cache (whose rows have expiry times) is unused


def test_the_count_table_has_no_time_column():
    kinds = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)
    assert not [f for f in GuessCount._meta.concrete_fields if isinstance(f, kinds)]


def test_a_right_code_leaves_no_row_and_a_wrong_one_counts_once(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    assert _guess(client, codes[0]) == 200
    assert not GuessCount.objects.exists()
    _guess(client)
    assert sorted(GuessCount.objects.values_list("count", flat=True)) == [1, 1]  # device, net


def test_windows_are_fixed_and_old_ones_are_deleted(client, cast):
    open_session(cast.session, cast.secretariat)
    start = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
            _guess(client)
        assert _guess(client) == 429
        first = GuessCount.objects.values_list("window", flat=True).distinct().get()
    later = start + datetime.timedelta(seconds=settings.CODE_GUESS_WINDOW)
    with time_machine.travel(later, tick=False):
        assert _guess(client) == 404  # a new window: the device may try again
        assert set(GuessCount.objects.values_list("window", flat=True)) == {first + 1}


def test_a_locked_device_is_answered_without_writing(client, cast, django_assert_num_queries):
    open_session(cast.session, cast.secretariat)
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        _guess(client)
    with django_assert_num_queries(1):  # the read of its counts, nothing else
        assert _guess(client) == 429


@pytest.mark.parametrize("sent", ["NOT-A-CODE", "right", WRONG])
def test_a_locked_device_is_answered_from_one_read_whatever_it_sends(client, cast, sent):
    codes = open_session(cast.session, cast.secretariat)
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        _guess(client)
    before = list(GuessCount.objects.order_by("bucket").values_list("bucket", "count"))
    with CaptureQueriesContext(connection) as queries:
        response = post_form(
            client, reverse("ballots:start"), {"code": codes[0] if sent == "right" else sent}
        )
    assert (response.status_code, response.context["reason"]) == (429, "throttled")
    assert len(queries) == 1 and queries[0]["sql"].lstrip().upper().startswith("SELECT")
    assert list(GuessCount.objects.order_by("bucket").values_list("bucket", "count")) == before


def test_the_ballot_page_vouches_for_its_code_so_review_and_cast_count_nothing(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    choices = full_choices(cast.session)
    page = post_form(client, reverse("ballots:start"), {"code": codes[0]})
    voucher = throttle.voucher(codes[0])
    assert f'name="voucher" value="{voucher}"' in page.content.decode()
    sent = {"code": codes[0], "voucher": voucher, **choices}
    with CaptureQueriesContext(connection) as queries:
        review = post_form(client, reverse("ballots:review"), sent)
        assert f'name="voucher" value="{voucher}"' in review.content.decode()
        assert post_form(client, reverse("ballots:cast"), sent).status_code == 302
    assert not [q for q in queries if GuessCount._meta.db_table in q["sql"]]


def test_a_voucher_vouches_only_for_its_own_code(client, cast, lookups):
    codes = open_session(cast.session, cast.secretariat)
    voucher = throttle.voucher(codes[0])
    for _ in range(settings.CODE_GUESS_DEVICE_LIMIT):
        _guess(client)
    guessed = {"code": WRONG, "voucher": voucher}
    assert post_form(client, reverse("ballots:review"), guessed).status_code == 429
    forged = {"code": codes[1], "voucher": "0" * 64}
    assert post_form(client, reverse("ballots:review"), forged).status_code == 429
    own = {"code": codes[0], "voucher": voucher}  # a code its bearer already knows
    assert post_form(client, reverse("ballots:review"), own).status_code == 200
    assert lookups == [WRONG] * settings.CODE_GUESS_DEVICE_LIMIT + [codes[0]]
