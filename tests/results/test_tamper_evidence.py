"""Tamper evidence: the chain head on paper, and frozen documents served only while they match."""

from __future__ import annotations

import hashlib
import importlib
import io
import logging

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from ballots import services
from results import documents
from results import services as result_services
from results.models import Certification
from sessions.models import AuditEvent, VotingSession
from sessions.selectors import audit_chain_check
from sessions.services import audit_record
from tests.built_once import built_once
from tests.factories import build_cast, open_session

backfill_migration = importlib.import_module("results.migrations.0002_announcement_sha256")


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def _close(cast):
    codes = open_session(cast.session, cast.secretariat, codes=3, activate=3)
    candidates = list(cast.session.candidates.order_by("order"))
    for code in codes:
        services.ballot_cast(raw=code, choices={c.pk: "high" for c in candidates})
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


@built_once
def closed():
    return _close(build_cast())


@built_once
def certified():
    """Certified and published to the public, so every serving URL answers."""
    cast = _close(build_cast())
    VotingSession.objects.filter(pk=cast.session.pk).update(scope="public")
    cast.session.refresh_from_db()
    result_services.result_certify(actor=cast.committee, session=cast.session)
    result_services.result_publish(actor=cast.secretariat, session=cast.session)
    return cast


def _certified_event(session) -> AuditEvent:
    return AuditEvent.objects.get(session=session, action="results_certified")


def _verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


# --- The chain head in the minutes ------------------------------------------------------------


def test_the_minutes_print_the_audit_head_and_count_as_the_chain_stood_at_certification(closed):
    certification = result_services.result_certify(actor=closed.committee, session=closed.session)
    event = _certified_event(closed.session)
    before = AuditEvent.objects.filter(session=closed.session, pk__lt=event.pk)
    head, count = event.prev_hash, before.count()
    assert head == before.order_by("-pk").first().hash
    assert (event.detail["audit_events"], event.detail["audit_head"]) == (count, head)
    text = _pdf_text(bytes(certification.minutes_pdf))
    assert f"Nhật ký khi xác nhận kết quả: {count} sự kiện" in text
    assert head[:16] in text.replace(" ", "")
    assert audit_chain_check(closed.session).intact


def test_the_english_minutes_of_a_certified_session_print_the_same_head(tmp_path, certified):
    event = _certified_event(certified.session)
    out = tmp_path / "minutes-en.pdf"
    call_command(
        "minutes",
        str(certified.session.pk),  # a public id may start with "-", which argparse misreads
        "-o",
        str(out),
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    text = _pdf_text(out.read_bytes())
    assert f"Audit trail at certification: {event.detail['audit_events']} events" in text
    assert event.prev_hash[:16] in text.replace(" ", "")


def test_a_draft_of_the_minutes_prints_no_audit_head(client, closed):
    client.force_login(closed.committee)
    response = client.get(reverse("results:minutes", args=[closed.session.pk]))
    assert "HMAC" not in _pdf_text(response.content)


def test_certifying_is_refused_when_the_trail_moved_after_the_minutes_were_rendered(
    closed, monkeypatch
):
    render = documents.announcement_pdf

    def render_while_someone_acts(result, **kwargs):
        audit_record(session=closed.session, actor=closed.secretariat, action="admin_changed")
        return render(result, **kwargs)

    monkeypatch.setattr(documents, "announcement_pdf", render_while_someone_acts)
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=closed.committee, session=closed.session)
    assert caught.value.code == "changed"
    assert not Certification.objects.exists()
    assert VotingSession.objects.get(pk=closed.session.pk).status == "closed"


def test_removing_the_certification_event_to_match_the_printed_head_fails_verify_audit(certified):
    event = _certified_event(certified.session)
    AuditEvent.objects.filter(session=certified.session, pk__gte=event.pk).delete()
    assert audit_chain_check(certified.session).intact  # a shorter chain still links up
    status, out = _verify("--session", str(certified.session.pk))
    assert status == 1
    assert "no certification event" in out


def test_truncating_the_trail_and_the_certification_shows_against_the_paper_head(certified):
    event = _certified_event(certified.session)
    printed = f"{event.detail['audit_events']} events, head {event.prev_hash[:16]}"
    _status, before = _verify("--session", str(certified.session.pk))
    # The insider removes the certification, its event, everything after it and the last event
    # before it, and marks the session closed: nothing left in the database contradicts the
    # shorter chain...
    Certification.objects.filter(session=certified.session).delete()
    last_before = AuditEvent.objects.filter(session=certified.session, pk__lt=event.pk).last()
    AuditEvent.objects.filter(session=certified.session, pk__gte=last_before.pk).delete()
    # (a session still marked published or certified would contradict the shorter trail)
    assert _verify("--session", str(certified.session.pk))[0] == 1
    VotingSession.objects.filter(pk=certified.session.pk).update(status="closed")
    status, after = _verify("--session", str(certified.session.pk))
    assert status == 0
    # ...but the count and head verify_audit prints no longer match those on the paper minutes.
    assert printed not in after
    assert f"{event.detail['audit_events'] - 1} events" in after


# --- Frozen documents -------------------------------------------------------------------------

SERVING = [
    ("minutes", "minutes_pdf", "results:minutes"),
    ("minutes", "minutes_pdf", "results:public_minutes"),
    ("announcement", "announcement_pdf", "results:announcement"),
    ("ballot_set", "ballot_set_csv", "results:ballot_set"),
]


def _url(session, name: str) -> str:
    if name == "results:public_minutes":
        return reverse(name, args=[session.public_id])
    return reverse(name, args=[session.pk])


@pytest.mark.parametrize(("kind", "field", "url"), SERVING)
def test_an_intact_frozen_document_is_served_as_stored(client, certified, kind, field, url):
    client.force_login(certified.committee)
    response = client.get(_url(certified.session, url))
    assert response.status_code == 200
    certification = Certification.objects.get(session=certified.session)
    assert response.content == bytes(getattr(certification, field))


@pytest.mark.parametrize(("kind", "field", "url"), SERVING)
def test_a_swapped_frozen_document_is_refused_with_a_clear_page_and_a_log_line(
    client, certified, caplog, kind, field, url
):
    Certification.objects.filter(session=certified.session).update(**{field: b"%PDF-1.7 forged"})
    if url != "results:public_minutes":
        client.force_login(certified.committee)
    with caplog.at_level(logging.ERROR, logger="results.frozen"):
        response = client.get(_url(certified.session, url))
    assert response.status_code == 409
    assert "results/frozen_mismatch.html" in [t.name for t in response.templates]
    assert "không khớp với mã kiểm tra" in response.content.decode()
    assert b"forged" not in response.content
    [record] = [r for r in caplog.records if r.name == "results.frozen"]
    assert record.levelno == logging.ERROR
    assert f"the {kind} of session {certified.session.pk}" in record.getMessage()


@pytest.mark.parametrize(
    "field", ["minutes_pdf", "announcement_pdf", "ballot_set_csv", "minutes_sha256"]
)
def test_verify_audit_fails_on_a_swapped_frozen_document(certified, field):
    value = "0" * 64 if field.endswith("sha256") else b"swapped"
    Certification.objects.filter(session=certified.session).update(**{field: value})
    status, out = _verify()
    assert status == 1
    assert "does not match the SHA-256 recorded at certification" in out


def test_a_document_swapped_together_with_its_recorded_sha256_still_fails_verify_audit(
    certified,
):
    forged = b"%PDF-1.7 forged"
    Certification.objects.filter(session=certified.session).update(
        minutes_pdf=forged, minutes_sha256=hashlib.sha256(forged).hexdigest()
    )
    status, out = _verify()
    assert status == 1
    assert "the recorded SHA-256 differs from the one in the audit trail" in out


def test_the_minutes_command_refuses_a_swapped_blob(tmp_path, certified):
    Certification.objects.filter(session=certified.session).update(minutes_pdf=b"swapped")
    out = tmp_path / "minutes.pdf"
    with pytest.raises(CommandError, match="does not match"):
        call_command("minutes", str(certified.session.pk), "-o", str(out))
    assert not out.exists()


def test_the_audit_page_check_reports_a_swapped_document(client, certified):
    Certification.objects.filter(session=certified.session).update(announcement_pdf=b"x")
    client.force_login(certified.secretariat)
    response = client.post(reverse("votesessions:audit_check", args=[certified.session.pk]))
    assert response.status_code == 200
    assert "Thông báo kết quả: bản đang lưu không khớp" in response.content.decode()


def test_the_announcement_fingerprint_is_recorded_and_backfilled_by_the_migration(certified):
    certification = Certification.objects.get(session=certified.session)
    digest = hashlib.sha256(bytes(certification.announcement_pdf)).hexdigest()
    assert certification.announcement_sha256 == digest
    Certification.objects.update(announcement_sha256="0" * 64)
    backfill_migration.backfill(apps, None)
    assert Certification.objects.get(pk=certification.pk).announcement_sha256 == digest


# --- The printed head, where staff and operators can compare it -------------------------------


def test_the_audit_page_shows_the_head_printed_in_the_minutes_and_that_it_still_matches(
    client, certified
):
    session = certified.session
    event = _certified_event(session)
    pdf = _pdf_text(bytes(Certification.objects.get(session=session).minutes_pdf))
    short = event.detail["audit_head"][:16]
    assert short in pdf
    client.force_login(certified.committee)
    page = client.get(reverse("votesessions:audit", args=[session.pk])).content.decode()
    assert f"{event.detail['audit_events']} sự kiện, mã kiểm tra cuối chuỗi {short}" in page
    assert "Nhật ký vẫn khớp với mã này" in page
    AuditEvent.objects.filter(pk=AuditEvent.objects.filter(session=session).first().pk).delete()
    page = client.get(reverse("votesessions:audit", args=[session.pk])).content.decode()
    assert "Nhật ký không còn khớp với mã này" in page


def test_verify_audit_prints_the_head_printed_in_the_minutes_and_finds_a_session_by_public_id(
    certified,
):
    session = certified.session
    event = _certified_event(session)
    status, out = _verify("--session", session.public_id)
    assert status == 0, out
    short = event.detail["audit_head"][:16]
    assert f"printed in the minutes: {event.detail['audit_events']} events, head {short}" in out
    assert _verify("--session", str(session.pk))[1] == out


def test_verify_audit_refuses_a_session_that_does_not_exist(certified):
    with pytest.raises(CommandError, match="No session '999999'"):
        call_command("verify_audit", "--session", "999999", stdout=io.StringIO())


# --- The session's status against the trail ---------------------------------------------------


def test_undoing_a_certification_in_the_database_is_refused_and_fails_verify_audit(
    client, certified
):
    session = certified.session
    Certification.objects.filter(session=session).delete()
    VotingSession.objects.filter(pk=session.pk).update(status="closed")
    client.force_login(certified.committee)
    assert client.get(reverse("results:page", args=[session.pk])).status_code == 409
    status, out = _verify()
    assert status == 1
    assert "the trail records a certification, but the session is now" in out
    assert "the certification is gone" in out


def test_publishing_behind_the_trails_back_fails_verify_audit(certified):
    session = certified.session
    assert _verify()[0] == 0
    VotingSession.objects.filter(pk=session.pk).update(scope="internal")
    status, out = _verify()
    assert status == 1 and "published to “internal”, but the trail says “public”" in out
    VotingSession.objects.filter(pk=session.pk).update(scope="public")
    AuditEvent.objects.filter(session=session, action="results_published").delete()
    AuditEvent.objects.filter(session=session, action="results_certified").update(prev_hash="")
    status, out = _verify()
    assert status == 1 and "the trail records no publication" in out


def test_a_recorded_fingerprint_that_is_not_hexadecimal_is_a_409_not_a_500(client, certified):
    session = certified.session
    Certification.objects.filter(session=session).update(minutes_sha256="é" * 64)
    response = client.get(reverse("results:public_minutes", args=[session.public_id]))
    assert response.status_code == 409
    AuditEvent.objects.filter(session=session).update(hash="ư" * 64)
    status, out = _verify()
    assert status == 1 and "does not match" in out
