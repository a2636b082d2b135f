"""draft ⇄ ready: the checklist, the freeze, the fingerprint, double clicks and races."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from sessions import services
from sessions.models import AuditEvent, VotingSession
from sessions.selectors import readiness_blockers, voter_list_fingerprint
from tests.factories import fill_session, make_session


def test_ready_freezes_the_lists_and_records_the_voter_list_fingerprint(cast):
    session = cast.session
    assert services.session_mark_ready(actor=cast.secretariat, session=session) is True
    session.refresh_from_db()
    assert session.status == "ready"
    voters = session.voters.order_by("number")
    expected = hashlib.sha256(
        (
            "tinnhiem-voter-list-v1\n"
            + "".join(f"{v.number}\t{v.full_name}\t{v.unit}\n" for v in voters)
        ).encode()
    ).hexdigest()
    assert session.voter_list_sha256 == expected
    event = AuditEvent.objects.filter(session=session, action="session_ready").get()
    assert event.detail["voter_list_sha256"] == expected
    assert event.detail["voters"] == 5


def test_the_fingerprint_changes_when_one_voter_changes(cast):
    before = voter_list_fingerprint(cast.session.voters.order_by("number"))
    voter = cast.session.voters.first()
    services.voter_update(actor=cast.secretariat, voter=voter, full_name="Tên Khác", unit="")
    after = voter_list_fingerprint(cast.session.voters.order_by("number"))
    assert before != after


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("voter_add", {"full_name": "Muộn", "unit": ""}),
        ("candidate_add", {"full_name": "Muộn", "positions": "Ủy viên"}),
        ("session_update", {"title": "Đổi tên"}),
    ],
)
def test_nothing_changes_once_the_session_is_ready(cast, call, kwargs):
    # The committee, elected on the day, is the exception: tests/sessions/test_committee_accounts.py
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    with pytest.raises(ValidationError) as excinfo:
        getattr(services, call)(actor=cast.secretariat, session=cast.session, **kwargs)
    assert excinfo.value.code == "not_draft"
    cast.session.refresh_from_db()
    assert cast.session.title != "Đổi tên"
    assert not cast.session.voters.filter(full_name="Muộn").exists()


def test_a_double_click_on_ready_freezes_once(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("votesessions:ready", args=[cast.session.pk])
    first = client.post(url)
    second = client.post(url, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already ready" in second.content.decode() or "đã sẵn sàng" in second.content.decode()
    assert AuditEvent.objects.filter(session=cast.session, action="session_ready").count() == 1


def test_back_to_draft_clears_the_fingerprint_and_allows_edits(cast):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    assert services.session_back_to_draft(actor=cast.secretariat, session=cast.session) is True
    cast.session.refresh_from_db()
    assert (cast.session.status, cast.session.voter_list_sha256) == ("draft", "")
    services.voter_add(actor=cast.secretariat, session=cast.session, full_name="Bổ sung")
    assert services.session_back_to_draft(actor=cast.secretariat, session=cast.session) is False


@pytest.mark.parametrize("status", ["open", "closed", "certified", "published"])
def test_neither_ready_nor_draft_once_voting_has_opened(cast, status):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    VotingSession.objects.filter(pk=cast.session.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.session_back_to_draft(actor=cast.secretariat, session=cast.session)
    with pytest.raises(ValidationError):
        services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    assert cast.session.status == status


@pytest.mark.parametrize(
    ("filling", "missing"),
    [
        ({"candidates": 0}, "candidates"),
        ({"voters": 0}, "voters"),
        ({"head": False}, "committee_head"),
    ],
)
def test_the_checklist_names_what_blocks_ready(cast, filling, missing):
    session = fill_session(make_session(cast.org, cast.secretariat), cast.secretariat, **filling)
    assert [check.code for check in readiness_blockers(session)] == [missing]
    with pytest.raises(ValidationError) as excinfo:
        services.session_mark_ready(actor=cast.secretariat, session=session)
    assert excinfo.value.code == "not_ready"
    session.refresh_from_db()
    assert session.status == "draft"


def test_excluded_people_alone_do_not_make_a_ballot(cast):
    session = fill_session(make_session(cast.org, cast.secretariat), cast.secretariat, candidates=1)
    candidate = session.candidates.get()
    services.candidate_update(
        actor=cast.secretariat,
        candidate=candidate,
        position=candidate.position,
        excluded=True,
        exclusion_reason="retiring",
    )
    assert [check.code for check in readiness_blockers(session)] == ["candidates"]


def test_ready_button_shows_blockers_instead_of_a_500(client, cast):
    session = make_session(cast.org, cast.secretariat)
    client.force_login(cast.secretariat)
    response = client.post(reverse("votesessions:ready", args=[session.pk]), follow=True)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == "draft"


@pytest.mark.django_db(transaction=True)
def test_two_racing_ready_requests_freeze_once(cast_tx):
    """Two threads press "ready" at once: exactly one event, one fingerprint."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need a server database (runs on PostgreSQL)")
    session = cast_tx.session
    barrier = threading.Barrier(2)
    results: list[object] = []

    def press() -> None:
        from django.db import connections

        barrier.wait()
        try:
            results.append(services.session_mark_ready(actor=cast_tx.secretariat, session=session))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [False, True]
    assert AuditEvent.objects.filter(session=session, action="session_ready").count() == 1
