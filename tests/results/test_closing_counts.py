"""Counts kept at close: an electronic session's marks are counted once, when voting closes, and
the tally reads those counts; certification counts the marks again and refuses if they differ."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import services
from ballots.models import Ballot, ClosingCount, Mark
from ballots.selectors import counts_digest, marks_count
from results import services as result_services
from results.models import Certification
from results.tally import result_compute
from sessions import services as session_services
from sessions.models import AuditEvent, VotingSession
from tests.factories import fill_session, make_session, open_session

LEVELS = [["high", "low", "medium"], ["high", "high", "blank"], ["low", "medium", "medium"]]


def _counted(cast, ballots=LEVELS, *, before_close=None) -> VotingSession:
    session = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=3, voters=4
    )
    codes = open_session(session, cast.secretariat, codes=len(ballots), activate=len(ballots))
    people = list(session.candidates.order_by("order"))
    for code, levels in zip(codes, ballots, strict=True):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(people, levels, strict=True)}
        )
    if before_close:
        before_close(session)
    services.session_close(actor=cast.secretariat, session=session)
    session.refresh_from_db()
    return session


def _counts(result) -> list[list[int]]:
    return [[lr.count for lr in line.levels] + [line.invalid] for line in result.candidates]


def test_the_close_keeps_each_person_s_counts_and_the_tally_reads_no_mark(cast):
    session = _counted(cast)
    kept = {
        (row.candidate_id, row.level): row.count
        for row in ClosingCount.objects.filter(session=session)
    }
    assert kept == marks_count(session)
    assert sum(kept.values()) == 3 * 3  # every line of every ballot, blank ones as "invalid"
    with CaptureQueriesContext(connection) as queries:
        result = result_compute(session)
    assert not [q for q in queries if "ballots_mark" in q["sql"]]
    # high, medium, low, then the invalid (blank) lines, per person in ballot order.
    assert _counts(result) == [[2, 0, 1, 0], [1, 1, 1, 0], [0, 2, 0, 1]]


def test_a_whole_invalid_ballot_is_left_out_of_the_counts_kept_at_close(cast):
    """None is cast so electronically, but the count never assumes it."""

    def void_the_one_with_a_blank_line(session):
        blank = Ballot.objects.filter(session=session, marks__level="invalid")
        assert Ballot.objects.filter(pk__in=blank.values("pk")).update(whole_invalid=True) == 1

    session = _counted(cast, before_close=void_the_one_with_a_blank_line)
    result = result_compute(session)
    assert (result.collected, result.whole_invalid, result.valid) == (3, 1, 2)
    assert _counts(result) == [[1, 0, 1, 0], [0, 1, 1, 0], [0, 2, 0, 0]]
    assert sum(r.count for r in ClosingCount.objects.filter(session=session)) == 2 * 3


def test_a_session_closed_before_counts_were_kept_is_counted_from_its_marks(cast):
    session = _counted(cast)
    kept = _counts(result_compute(session))
    ClosingCount.objects.filter(session=session).delete()
    assert _counts(result_compute(session)) == kept


def test_a_paper_session_keeps_no_counts_at_close(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"), cast.secretariat
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    assert not ClosingCount.objects.filter(session=session).exists()


@pytest.mark.parametrize("how", ["mark changed", "ballot added"])
def test_ballots_altered_after_close_stop_the_certification(client, cast, how, caplog):
    session = _counted(cast)
    shown = _counts(result_compute(session))
    person = session.candidates.order_by("order").first()
    if how == "mark changed":
        Mark.objects.filter(candidate=person, level="low").update(level="high")
    else:
        ballot = Ballot.objects.create(session=session)
        Mark.objects.bulk_create(
            Mark(ballot=ballot, candidate=c, level="low") for c in session.candidates.all()
        )
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=cast.committee, session=session)
    assert caught.value.code == "recount"
    assert f"Refusing to certify session {session.pk}" in caplog.text  # for the operator too
    if how == "mark changed":  # the tally still shows what was counted at close
        assert _counts(result_compute(session)) == shown
    client.force_login(cast.committee)
    response = client.post(reverse("results:certify", args=[session.pk]))
    assert response.status_code == 409
    assert "đã bị sửa đổi" in response.text
    assert not Certification.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.status == VotingSession.Status.CLOSED


def test_unaltered_ballots_certify_with_the_counts_kept_at_close(cast):
    session = _counted(cast)
    certification = result_services.result_certify(actor=cast.committee, session=session)
    lines = certification.result["candidates"]
    assert [line["counts"]["invalid"] for line in lines] == [0, 0, 1]


def test_the_close_writes_the_counts_digest_into_its_signed_event(cast):
    session = _counted(cast)
    event = AuditEvent.objects.get(session=session, action="voting_closed")
    assert event.detail["counts_sha256"] == counts_digest(marks_count(session))
    assert len(event.detail["counts_sha256"]) == 64


def test_deleting_the_kept_counts_does_not_hide_an_altered_ballot(cast):
    """Then the tally counts the marks live, but the close's signed event still says what the
    ballots gave."""
    session = _counted(cast)
    person = session.candidates.order_by("order").first()
    Mark.objects.filter(candidate=person, level="low").update(level="high")
    ClosingCount.objects.filter(session=session).delete()
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=cast.committee, session=session)
    assert caught.value.code == "recount"
    assert not Certification.objects.filter(session=session).exists()


def test_a_ballot_added_to_a_session_closed_without_one_stops_the_certification(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=3, voters=4
    )
    open_session(session, cast.secretariat, codes=2, activate=2)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    assert not ClosingCount.objects.filter(session=session).exists()
    ballot = Ballot.objects.create(session=session)
    Mark.objects.bulk_create(
        Mark(ballot=ballot, candidate=c, level="high") for c in session.candidates.all()
    )
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=cast.committee, session=session)
    assert caught.value.code == "recount"
