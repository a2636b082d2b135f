"""Hardening: the audit chain, code guessing, password guessing, headers, CSRF, immutability."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from ballots import services
from ballots.models import Ballot, Mark, VoterCode
from results import services as result_services
from sessions.audit_keys import current_key
from sessions.models import AuditEvent, VotingSession
from tests.factories import full_choices, open_session, post_form

TEMPLATES = Path(settings.BASE_DIR) / "templates"


# --- Audit chain ------------------------------------------------------------------------------


def test_every_event_carries_the_hash_of_the_one_before(cast):
    events = list(AuditEvent.objects.filter(session=cast.session).order_by("pk"))
    assert len(events) > 3
    assert events[0].prev_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.hash == after.compute_hash(current_key())
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_verify_audit_names_an_altered_event(cast):
    event = AuditEvent.objects.filter(session=cast.session).order_by("pk")[2]
    AuditEvent.objects.filter(pk=event.pk).update(detail={"name": "sửa lén"})
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=out)
    assert f"event {event.pk}" in out.getvalue()
    assert "altered" in out.getvalue()


def test_verify_audit_notices_a_deleted_event(cast):
    event = AuditEvent.objects.filter(session=cast.session).order_by("pk")[1]
    AuditEvent.objects.filter(pk=event.pk).delete()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", "--session", str(cast.session.pk), stdout=out)
    assert "does not follow" in out.getvalue()


def test_voters_never_write_to_the_audit_trail(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    before = AuditEvent.objects.count()
    post_form(client, reverse("ballots:cast"), {"code": codes[0], **full_choices(cast.session)})
    post_form(client, reverse("ballots:start"), {"code": codes[9]})
    assert AuditEvent.objects.count() == before


# --- Code guessing ----------------------------------------------------------------------------


def _guess(client, code="7KQ2M-9XH4C-TD8WZ"):
    return post_form(client, reverse("ballots:start"), {"code": code})


def test_a_device_is_locked_after_ten_wrong_codes_even_for_a_valid_one(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    statuses = [_guess(client).status_code for _ in range(10)]
    assert statuses == [404] * 10
    locked = _guess(client, codes[0])  # a real, active code: not even checked now
    assert locked.status_code == 429
    assert locked.context["reason"] == "throttled"
    other_device = Client()
    assert post_form(other_device, reverse("ballots:start"), {"code": codes[0]}).status_code == 200


def test_a_brute_force_attempt_is_stopped_long_before_it_could_succeed(client, cast, monkeypatch):
    open_session(cast.session, cast.secretariat)
    checked = []  # the codes read: a locked device's check is refused before its code is read
    real = services.ballot_open

    def ballot_open(raw, **throttle):
        try:
            return real(raw, **throttle)
        except services.BallotRefused as refused:
            if refused.reason != "throttled":
                checked.append(raw)
            raise

    monkeypatch.setattr(services, "ballot_open", ballot_open)
    statuses = [_guess(client, f"{i:015d}").status_code for i in range(200)]
    assert len(checked) == settings.CODE_GUESS_DEVICE_LIMIT
    assert statuses.count(429) == 200 - settings.CODE_GUESS_DEVICE_LIMIT


def test_rotating_devices_from_one_address_hits_the_network_limit(cast, settings):
    settings.CODE_GUESS_NETWORK_LIMIT = 25
    codes = open_session(cast.session, cast.secretariat)
    for _ in range(5):
        device = Client()
        for _ in range(5):
            _guess(device)
    assert post_form(Client(), reverse("ballots:start"), {"code": codes[0]}).status_code == 429


def test_honest_voters_behind_one_router_are_not_locked_out(cast):
    """40 voters on one Wi-Fi address, each with one typo, then their real code."""
    codes = open_session(cast.session, cast.secretariat, codes=40, activate=40)
    for code in codes:
        device = Client()
        _guess(device)
        assert post_form(device, reverse("ballots:start"), {"code": code}).status_code == 200


# --- Staff accounts ---------------------------------------------------------------------------


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_password_guessing_locks_the_account_on_that_address(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "thuky", "sai").status_code == 200
    assert _sign_in(client, "thuky", "sai").status_code == 429  # the limit: locked
    response = _sign_in(client, "thuky", "pw")  # the right password, too late
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _sign_in(Client(), "kiemphieu", "pw").status_code == 302  # others unaffected


def test_staff_sign_ins_expire(db):
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_a_staff_member_changes_their_password(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 302
    cast.secretariat.refresh_from_db()
    assert cast.secretariat.check_password("Mật-khẩu-mới-2026")


POST_ONLY = [
    ("votesessions:ready", 1),
    ("votesessions:draft", 1),
    ("ballots:open", 1),
    ("ballots:close", 1),
    ("results:certify", 1),
    ("results:publish", 1),
    ("results:unpublish", 1),
    ("ballots:cast", 0),
    ("ballots:review", 0),
]


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_every_state_change_refuses_get(client, cast, name, args):
    client.force_login(cast.secretariat)
    url = reverse(name, args=[cast.session.pk] if args else [])
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(("name", "args"), POST_ONLY[:4])
def test_every_state_change_needs_the_csrf_token(cast, name, args):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.secretariat)
    status = VotingSession.objects.get(pk=cast.session.pk).status
    assert client.post(reverse(name, args=[cast.session.pk])).status_code == 403
    assert VotingSession.objects.get(pk=cast.session.pk).status == status


# --- Headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/b/", "/accounts/login/", "/public/"])
def test_security_headers_are_sent(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_style():
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.parts:
            continue  # rendered to PDF on the server, never served to a browser
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\sstyle=\"", text), path
        assert not re.search(r"\son[a-z]+=\"", text), path  # onclick= and friends


# --- Faults -----------------------------------------------------------------------------------


def test_a_database_failure_during_a_cast_asks_to_retry_and_counts_once(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    choices = full_choices(cast.session)

    def broken(execute, sql, params, many, context):
        # The marks' insert fails (on SQLite after the ballot's own row is written; on
        # PostgreSQL the one statement of gate, ballot and marks fails whole).
        if f"INSERT INTO {connection.ops.quote_name(Mark._meta.db_table)}" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(broken):
        response = post_form(client, reverse("ballots:cast"), {"code": codes[0], **choices})
    assert response.status_code == 503
    assert response.context["reason"] == "unavailable"
    assert ("code", codes[0]) in response.context["retry"]
    assert not Ballot.objects.exists()
    assert VoterCode.objects.filter(state="used").count() == 0
    retry = post_form(client, reverse("ballots:cast"), dict(response.context["retry"]))
    assert retry.status_code == 302
    assert Ballot.objects.count() == 1
    again = post_form(client, reverse("ballots:cast"), dict(response.context["retry"]))
    assert again.status_code == 409  # already recorded, never twice


def test_a_certified_session_cannot_be_altered_anywhere(client, cast):
    codes = open_session(cast.session, cast.secretariat)
    services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
    )
    services.session_close(actor=cast.secretariat, session=cast.session)
    result_services.result_certify(actor=cast.committee, session=cast.session)
    before = list(Mark.objects.values_list("level", flat=True))
    client.force_login(cast.superuser)
    session_url = reverse("admin:votesessions_votingsession_change", args=[cast.session.pk])
    client.post(session_url, {"title": "Đổi", "place": "X"})
    voter = cast.session.voters.first()
    client.post(
        reverse("admin:votesessions_voter_change", args=[voter.pk]),
        {"session": cast.session.pk, "number": 1, "full_name": "Đổi", "unit": ""},
    )
    certification = cast.session.certification
    client.post(
        reverse("admin:results_certification_delete", args=[certification.pk]), {"post": "yes"}
    )
    for name in ("ready", "draft"):
        client.post(reverse(f"votesessions:{name}", args=[cast.session.pk]))
    client.post(reverse("ballots:close", args=[cast.session.pk]))
    cast.session.refresh_from_db()
    voter.refresh_from_db()
    assert cast.session.status == "certified" and cast.session.title != "Đổi"
    assert voter.full_name != "Đổi"
    assert list(Mark.objects.values_list("level", flat=True)) == before
    assert type(certification).objects.filter(pk=certification.pk).exists()
