"""The keyed audit chain: an insider with the database but not the key cannot rewrite it."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.timezone import localtime

from sessions import services
from sessions.audit_keys import LEGACY_KEY_ID, AuditKey, current_key, key_id
from sessions.models import AuditEvent
from sessions.selectors import audit_chain_check, audit_head
from sessions.services import audit_record

rekey_migration = importlib.import_module("sessions.migrations.0004_audit_key_id")

OLD_KEY = "o" * 40
NEW_KEY = "n" * 40


def _events(session) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(session=session).order_by("pk"))


def _plain_sha256(event: AuditEvent, prev: str) -> str:
    """What the chain used before it was keyed: anyone with the database can compute it."""
    body = json.dumps(
        {
            "prev": prev,
            "session": event.session_id,
            "actor": event.actor_id,
            "action": event.action,
            "detail": event.detail,
            "at": event.created_at.isoformat(),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _rechain(session, hash_of, *, key_id_to_store=None) -> None:
    """Recompute every link from the first event on, as an insider would after an edit."""
    previous = ""
    for event in _events(session):
        event.prev_hash = previous
        if key_id_to_store is not None:
            event.key_id = key_id_to_store
        event.hash = hash_of(event, previous)
        event.save(update_fields=["prev_hash", "hash", "key_id"])
        previous = event.hash


def _edit_third_event(session) -> AuditEvent:
    event = _events(session)[2]
    AuditEvent.objects.filter(pk=event.pk).update(detail={"name": "sửa lén"})
    return event


def _verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_an_edited_event_rechained_with_plain_sha256_fails_verify_audit(cast):
    _edit_third_event(cast.session)
    _rechain(cast.session, _plain_sha256)
    status, out = _verify()
    assert status == 1
    # Every link was recomputed, so the very first event is where the key is missing.
    assert f"event {_events(cast.session)[0].pk} (session_created) was altered" in out


def test_an_edited_event_rechained_under_a_wrong_key_fails_verify_audit(cast):
    _edit_third_event(cast.session)
    wrong = AuditKey(id=current_key().id, secret=b"a guess at the key")
    _rechain(cast.session, lambda e, p: e.compute_hash(wrong))
    status, out = _verify("--session", str(cast.session.pk))
    assert status == 1
    assert "altered" in out


def test_a_chain_signed_under_the_insiders_own_key_names_an_unknown_key(cast):
    _edit_third_event(cast.session)
    secret = b"the insider's own key"
    own = AuditKey(id=key_id(secret), secret=secret)
    _rechain(cast.session, lambda e, p: e.compute_hash(own), key_id_to_store=own.id)
    status, out = _verify()
    assert status == 1
    assert f"key id {own.id}" in out


def test_an_intact_chain_passes_and_verify_audit_prints_its_count_and_head(cast):
    head = audit_head(cast.session)
    status, out = _verify("--session", str(cast.session.pk))
    assert status == 0
    assert f"{head.count} events, head {head.hash[:16]}" in out
    assert "intact" in out


def test_events_name_the_key_that_signed_them_and_never_hold_it(cast):
    key = current_key()
    for event in _events(cast.session):
        assert event.key_id == key.id != ""
        assert key.secret.hex() not in json.dumps([event.hash, event.prev_hash, event.detail])
        assert (
            event.hash == hmac.new(key.secret, _body_of(event).encode(), hashlib.sha256).hexdigest()
        )


def _body_of(event: AuditEvent) -> str:
    return json.dumps(
        {
            "key": event.key_id,
            "prev": event.prev_hash,
            "session": event.session_id,
            "actor": event.actor_id,
            "action": event.action,
            "detail": event.detail,
            "at": event.created_at.isoformat(),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def test_the_development_key_is_derived_from_the_secret_key_under_its_own_label(settings):
    settings.AUDIT_KEY = ""
    first = current_key()
    settings.SECRET_KEY = "another development secret key"
    assert current_key().id != first.id
    settings.AUDIT_KEY = NEW_KEY
    assert current_key().secret == NEW_KEY.encode()


def test_after_a_rotation_old_events_verify_under_the_old_key_and_new_events_under_the_new(
    cast, settings
):
    settings.AUDIT_KEY = OLD_KEY
    session = services.session_create(
        actor=cast.secretariat,
        organization=cast.org,
        title="Trước khi đổi khóa",
        date="2026-12-01",
        place="Hội trường",
        regime="qd96",
        procedure="rating",
        mode="electronic",
    )
    settings.AUDIT_KEY, settings.AUDIT_KEYS_OLD = NEW_KEY, [OLD_KEY]
    services.candidate_add(actor=cast.secretariat, session=session, full_name="A", positions="B")
    ids = [event.key_id for event in _events(session)]
    assert ids == [key_id(OLD_KEY.encode()), key_id(NEW_KEY.encode())]
    assert audit_chain_check(session).intact
    settings.AUDIT_KEYS_OLD = []  # the old key forgotten: its events can no longer be checked
    check = audit_chain_check(session)
    assert (check.broken.position, check.broken.reason) == (1, "unknown_key")


def test_a_retired_key_cannot_add_to_a_chain_the_current_key_signed(cast, settings):
    settings.AUDIT_KEY, settings.AUDIT_KEYS_OLD = NEW_KEY, [OLD_KEY]
    session = services.session_create(
        actor=cast.secretariat,
        organization=cast.org,
        title="Sau khi đổi khóa",
        date="2026-12-01",
        place="Hội trường",
        regime="qd96",
        procedure="rating",
        mode="electronic",
    )
    settings.AUDIT_KEY = OLD_KEY  # someone who kept the old key appends an event with it
    audit_record(session=session, actor=cast.secretariat, action="admin_changed")
    settings.AUDIT_KEY = NEW_KEY
    check = audit_chain_check(session)
    assert (check.broken.position, check.broken.reason) == (2, "retired_key")


def test_the_migration_rekeys_an_intact_legacy_chain(cast):
    _rechain(cast.session, _plain_sha256, key_id_to_store="")  # as stored before the upgrade
    assert not audit_chain_check(cast.session).intact
    rekey_migration.rekey(apps, None)
    assert audit_chain_check(cast.session).intact
    assert {e.key_id for e in _events(cast.session)} == {current_key().id}


def test_the_migration_leaves_a_broken_legacy_chain_unkeyed_and_still_reported(cast, capsys):
    _rechain(cast.session, _plain_sha256, key_id_to_store="")
    _edit_third_event(cast.session)  # broken before the upgrade: must not be laundered
    rekey_migration.rekey(apps, None)
    assert {e.key_id for e in _events(cast.session)} == {LEGACY_KEY_ID}
    assert "left unkeyed" in capsys.readouterr().err
    status, out = _verify("--session", str(cast.session.pk))
    assert status == 1
    assert "never keyed" in out


def test_the_migration_reverses_to_the_plain_chain(cast):
    rekey_migration.unkey(apps, None)
    events = _events(cast.session)
    previous = ""
    for event in events:
        event.key_id = ""
        assert (event.prev_hash, event.hash) == (previous, _plain_sha256(event, previous))
        previous = event.hash


# --- The audit page ---------------------------------------------------------------------------

CHECKERS = ["secretariat", "committee", "superuser"]
NOT_CHECKERS = ["leader", "parent_leader", "other_secretariat", "outsider"]


def test_the_audit_page_shows_the_event_count_and_the_head(client, cast):
    client.force_login(cast.leader)
    head = audit_head(cast.session)
    page = client.get(reverse("votesessions:audit", args=[cast.session.pk])).content.decode()
    assert f"{head.count} sự kiện" in page
    assert head.hash[:16] in page
    assert reverse("votesessions:audit_check", args=[cast.session.pk]) not in page  # reader


@pytest.mark.parametrize("who", CHECKERS)
def test_the_secretariat_the_committee_and_support_can_verify_the_trail(client, cast, who):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("votesessions:audit", args=[cast.session.pk])).content.decode()
    url = reverse("votesessions:audit_check", args=[cast.session.pk])
    assert url in page
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["check"].intact
    assert "Nhật ký nguyên vẹn" in response.content.decode()


@pytest.mark.parametrize("who", NOT_CHECKERS)
def test_nobody_else_can_verify_the_trail(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(reverse("votesessions:audit_check", args=[cast.session.pk]))
    assert response.status_code == 404


def test_verifying_the_trail_needs_a_sign_in_and_a_post(client, cast):
    url = reverse("votesessions:audit_check", args=[cast.session.pk])
    assert client.post(url).status_code == 302
    client.force_login(cast.secretariat)
    assert client.get(url).status_code == 405


def test_the_check_names_the_event_that_breaks_and_records_nothing(client, cast):
    event = _edit_third_event(cast.session)
    before = AuditEvent.objects.count()
    client.force_login(cast.committee)
    response = client.post(reverse("votesessions:audit_check", args=[cast.session.pk]))
    page = response.content.decode()
    assert "Sự kiện số 3 (" in page
    assert localtime(event.created_at).strftime("%d/%m/%Y %H:%M:%S") in page
    assert "đã bị sửa" in page
    assert AuditEvent.objects.count() == before
