"""The follow-up vote of confidence (issue 13, item 5): who a certified rating puts to it under
each regime's bands, resignations taking people out of it, the NQ 35/2012 two-year rule, who may
do it, and the refusals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ballots import paper
from ballots import services as ballot_services
from ballots.models import Ballot, VoterCode
from results import follow_up_services
from results import services as result_services
from results.follow_up import follow_up_rows
from results.models import FollowUp, Resignation
from sessions import services
from sessions.models import AuditEvent, Official, VotingSession
from sessions.regimes import REGIMES
from tests.factories import make_session

MEMBERS = 9  # summoned, present and ballots collected: the denominator under every regime
RATED = datetime.date(2025, 11, 20)


def _official(cast, name: str) -> Official:
    return Official.objects.create(organization=cast.org, full_name=name, positions="Phó Chủ tịch")


def _rated(cast, regime: str, lows: list[int], *, date=RATED, officials=None, procedure="rating"):
    """A certified paper-tally session of cast.org: one person per entry of `lows` with that many
    "against" marks over 9 ballots, 9 summoned and present, a committee head and a member."""
    session = make_session(
        cast.org,
        cast.secretariat,
        regime=regime,
        procedure=procedure,
        mode="paper_tally",
        date=date,
    )
    officials = officials or [_official(cast, f"Người Thứ {i + 1}") for i in range(len(lows))]
    for official in officials:
        services.candidate_add(actor=cast.secretariat, session=session, official=official)
    for i in range(MEMBERS):
        services.voter_add(
            actor=cast.secretariat, session=session, full_name=f"Đại biểu {i + 1}", unit="BCH"
        )
    services.committee_member_add(
        actor=cast.secretariat,
        session=session,
        full_name="Trưởng Ban Kiểm",
        unit="Văn phòng",
        role="head",
        user=cast.committee,
    )
    services.committee_member_add(
        actor=cast.secretariat, session=session, full_name="Thành Viên Kiểm", unit="", role="member"
    )
    services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        ballot_services.voter_check_in(voter=voter, present=True)
    ballot_services.session_open(actor=cast.secretariat, session=session)
    ballot_services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    levels = [value for value, _label in session.levels()]
    against, other = levels[-1], levels[0]
    counts = {}
    for candidate, low in zip(session.candidates.order_by("order"), lows, strict=True):
        counts[(candidate.pk, against)] = low
        counts[(candidate.pk, other)] = MEMBERS - low
    paper.tally_save(
        actor=cast.committee,
        session=session,
        data=paper.TallyInput(collected=MEMBERS, issued=MEMBERS, present=MEMBERS, counts=counts),
    )
    result_services.result_certify(actor=cast.committee, session=session)
    session.refresh_from_db()
    return session


def _bands(session) -> dict[str, tuple[str, bool]]:
    return {
        row.line.candidate.official.full_name: (row.line.band_code, row.to_vote)
        for row in follow_up_rows(session)
    }


# --- Which band calls for the vote, per regime (exact band codes, integers over 9) ------------


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        # 5 of 9: > ½ and < ⅔; 6 of 9: exactly ⅔; 7 of 9: > ⅔; 4 of 9: no band.
        ("qd96", {"Người Thứ 1": ("over_half", True), "Người Thứ 2": ("two_thirds", False)}),
        ("nq96", {"Người Thứ 1": ("over_half", True), "Người Thứ 2": ("two_thirds", False)}),
        ("nq85", {"Người Thứ 1": ("over_half", False), "Người Thứ 2": ("two_thirds", True)}),
        ("nq35", {"Người Thứ 1": ("over_half", False), "Người Thứ 2": ("over_half", False)}),
    ],
)
def test_the_band_that_calls_for_a_vote_of_confidence_is_the_regimes(cast, regime, expected):
    session = _rated(cast, regime, [5, 6, 4])
    assert _bands(session) == expected


def test_under_nq35_only_strictly_more_than_two_thirds_calls_for_the_vote(cast):
    session = _rated(cast, "nq35", [6, 7])
    assert _bands(session) == {
        "Người Thứ 1": ("over_half", False),  # 6 of 9 is two thirds, not more
        "Người Thứ 2": ("over_two_thirds", True),
    }


def test_the_follow_up_flags_are_data_on_the_regimes():
    calls = {
        code: sorted(b.code for b in regime.rating_bands if b.follow_up)
        for code, regime in REGIMES.items()
    }
    assert calls == {
        "qd96": ["over_half"],
        "nq96": ["over_half"],
        "nq85": ["two_thirds"],
        "nq35": ["over_two_thirds"],
    }
    assert not any(b.follow_up for r in REGIMES.values() for b in r.confidence_bands)


# --- Creating the vote of confidence ---------------------------------------------------------


def test_the_follow_up_is_a_draft_vote_of_confidence_with_only_the_people_concerned(cast):
    origin = _rated(cast, "nq96", [5, 6, 4, 5])
    created, new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    assert new and created.is_draft
    assert created.procedure == "confidence"
    assert (created.regime, created.organization) == ("nq96", cast.org)
    # An imported tally sheet records a past count; the vote of confidence is held on site.
    assert origin.mode == "paper_tally" and created.mode == "electronic"
    assert created.title == f"Bỏ phiếu tín nhiệm (sau “{origin.title}”)"
    lines = list(created.candidates.order_by("order"))
    assert [(c.order, c.official.full_name, c.excluded) for c in lines] == [
        (1, "Người Thứ 1", False),
        (2, "Người Thứ 4", False),
    ]
    assert [(v.number, v.full_name, v.present) for v in created.voters.order_by("number")] == [
        (i + 1, f"Đại biểu {i + 1}", False) for i in range(MEMBERS)
    ]
    assert sorted(created.committee.values_list("full_name", "role", "user")) == [
        ("Thành Viên Kiểm", "member", None),
        ("Trưởng Ban Kiểm", "head", cast.committee.pk),
    ]
    assert created.voter_list_sha256 == "" and created.ready_count == 0
    assert not Ballot.objects.filter(session=created).exists()
    assert not VoterCode.objects.filter(session=created).exists()
    assert FollowUp.objects.get(origin=origin).session == created
    made = AuditEvent.objects.get(session=created, action="session_copied")
    assert made.detail["follow_up_of"] == origin.public_id
    noted = AuditEvent.objects.get(session=origin, action="follow_up_created")
    assert noted.detail["names"] == ["Người Thứ 1", "Người Thứ 4"]


def test_asking_again_returns_the_same_follow_up(cast):
    origin = _rated(cast, "qd96", [5])
    first, _new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    again, new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    assert (again, new) == (first, False)
    assert VotingSession.objects.filter(procedure="confidence").count() == 1


def test_the_button_creates_it_and_opens_the_new_session(client, cast):
    origin = _rated(cast, "qd96", [5, 1])
    client.force_login(cast.secretariat)
    page = client.get(reverse("results:page", args=[origin.pk])).content.decode()
    assert reverse("results:follow_up_create", args=[origin.pk]) in page
    response = client.post(reverse("results:follow_up_create", args=[origin.pk]))
    created = FollowUp.objects.get(origin=origin).session
    assert response.status_code == 302
    assert response["Location"] == reverse("votesessions:detail", args=[created.pk])
    page = client.get(reverse("results:page", args=[origin.pk])).content.decode()
    assert reverse("votesessions:detail", args=[created.pk]) in page


# --- Resignations ----------------------------------------------------------------------------


def test_a_resigned_person_is_not_put_to_the_vote(cast):
    origin = _rated(cast, "nq96", [5, 5])
    first = origin.candidates.get(order=1)
    follow_up_services.resignation_record(
        actor=cast.secretariat, candidate=first, resigned_on=datetime.date(2025, 11, 25)
    )
    created, _new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    assert [c.official.full_name for c in created.candidates.all()] == ["Người Thứ 2"]
    event = AuditEvent.objects.get(session=origin, action="resignation_recorded")
    assert event.detail["name"] == "Người Thứ 1"
    assert event.detail["resigned_on"] == "2025-11-25"


def test_a_resignation_after_the_follow_up_excludes_them_there_with_the_reason(client, cast):
    origin = _rated(cast, "qd96", [5, 5])
    created, _new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    second = origin.candidates.get(order=2)
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("results:resignation_record", args=[origin.pk, second.pk]),
        {"resigned_on": "2025-12-01", "note": "Đơn ngày 01/12"},
    )
    assert response.status_code == 302
    there = created.candidates.get(official=second.official)
    assert (there.excluded, there.exclusion_reason, there.exclusion_note) == (
        True,
        "resigned",
        "Xin từ chức ngày 01/12/2025",
    )
    assert AuditEvent.objects.filter(
        session=created, action="candidate_updated", detail__reason="resigned"
    ).exists()
    page = client.get(reverse("results:page", args=[origin.pk])).content.decode()
    assert "01/12/2025" in page
    history = client.get(reverse("results:official", args=[second.official_id])).content.decode()
    assert "Xin từ chức ngày 01/12/2025" in history


def test_a_resignation_once_the_follow_up_is_frozen_leaves_its_list_alone(cast):
    origin = _rated(cast, "qd96", [5, 5])
    created, _new = follow_up_services.follow_up_create(actor=cast.secretariat, session=origin)
    services.session_mark_ready(actor=cast.secretariat, session=created)
    recorded = follow_up_services.resignation_record(
        actor=cast.secretariat,
        candidate=origin.candidates.get(order=1),
        resigned_on=datetime.date(2025, 11, 21),
    )
    assert recorded.excluded is False and recorded.follow_up == created
    assert not created.candidates.filter(excluded=True).exists()


def test_everyone_concerned_resigned_leaves_nobody_to_vote_on(client, cast):
    origin = _rated(cast, "qd96", [5])
    follow_up_services.resignation_record(
        actor=cast.secretariat,
        candidate=origin.candidates.get(),
        resigned_on=datetime.date(2025, 11, 21),
    )
    client.force_login(cast.secretariat)
    response = client.post(reverse("results:follow_up_create", args=[origin.pk]))
    assert response.status_code == 409
    assert "từ chức" in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"resigned_on": "2025-11-19"}, 409),  # before the session
        ({"resigned_on": "2099-01-01"}, 409),  # in the future
        ({"resigned_on": "not a date"}, 400),
        ({}, 400),
    ],
)
def test_a_bad_resignation_date_is_refused_and_records_nothing(client, cast, data, status):
    origin = _rated(cast, "qd96", [5])
    client.force_login(cast.secretariat)
    candidate = origin.candidates.get()
    response = client.post(
        reverse("results:resignation_record", args=[origin.pk, candidate.pk]), data
    )
    assert response.status_code == status
    assert not Resignation.objects.exists()


def test_a_resignation_is_recorded_once_and_only_for_someone_in_a_band(client, cast):
    origin = _rated(cast, "qd96", [5, 1])
    client.force_login(cast.secretariat)
    banded, clear = origin.candidates.order_by("order")
    url = reverse("results:resignation_record", args=[origin.pk, banded.pk])
    assert client.post(url, {"resigned_on": "2025-11-21"}).status_code == 302
    again = client.post(url, {"resigned_on": "2025-11-22"})
    assert again.status_code == 409
    url = reverse("results:resignation_record", args=[origin.pk, clear.pk])
    refused = client.post(url, {"resigned_on": "2025-11-21"})
    assert refused.status_code == 409
    assert "không thuộc" in refused.content.decode() or "not in a band" in refused.content.decode()
    assert Resignation.objects.count() == 1


# --- Refusals and access ---------------------------------------------------------------------


def test_results_not_yet_certified_are_refused(client, cast):
    session = cast.session  # a draft: nothing counted
    client.force_login(cast.secretariat)
    response = client.post(reverse("results:follow_up_create", args=[session.pk]))
    assert response.status_code == 409
    assert not FollowUp.objects.exists()
    assert not VotingSession.objects.filter(procedure="confidence").exists()


def test_certified_results_with_nobody_in_a_band_are_refused(client, cast):
    origin = _rated(cast, "qd96", [4, 0])
    client.force_login(cast.secretariat)
    assert "follow-up" not in client.get(reverse("results:page", args=[origin.pk])).content.decode()
    response = client.post(reverse("results:follow_up_create", args=[origin.pk]))
    assert response.status_code == 409
    assert not FollowUp.objects.exists()


def test_only_the_two_thirds_band_under_qd96_is_refused_as_nobody_concerned(client, cast):
    origin = _rated(cast, "qd96", [6])  # dismissal, not a vote of confidence
    client.force_login(cast.secretariat)
    assert client.post(reverse("results:follow_up_create", args=[origin.pk])).status_code == 409


@pytest.mark.parametrize(
    "who", ["committee", "leader", "parent_leader", "other_secretariat", "outsider"]
)
def test_nobody_but_the_secretariat_of_the_body_gets_past_a_404(client, cast, who):
    origin = _rated(cast, "qd96", [5])
    candidate = origin.candidates.get()
    client.force_login(getattr(cast, who))
    create = client.post(reverse("results:follow_up_create", args=[origin.pk]))
    resign = client.post(
        reverse("results:resignation_record", args=[origin.pk, candidate.pk]),
        {"resigned_on": "2025-11-21"},
    )
    missing = client.post(reverse("results:follow_up_create", args=[999999]))
    assert (create.status_code, resign.status_code, missing.status_code) == (404, 404, 404)
    assert not FollowUp.objects.exists() and not Resignation.objects.exists()


def test_a_reader_sees_the_panel_without_its_buttons(client, cast):
    origin = _rated(cast, "qd96", [5])
    client.force_login(cast.leader)
    page = client.get(reverse("results:page", args=[origin.pk])).content.decode()
    assert 'id="follow-up"' in page
    assert reverse("results:follow_up_create", args=[origin.pk]) not in page
    assert 'name="resigned_on"' not in page


def test_the_forms_are_post_only(client, cast):
    client.force_login(cast.secretariat)
    response = client.get(reverse("results:follow_up_create", args=[cast.session.pk]))
    assert response.status_code == 405


# --- NQ 35/2012: more than half low two years in a row -----------------------------------------


def test_more_than_half_two_years_in_a_row_is_flagged_and_put_to_the_vote(client, cast):
    person, other = _official(cast, "Lò Văn Hai"), _official(cast, "Đinh Thị Một")
    _rated(cast, "nq35", [5, 5], date=datetime.date(2013, 11, 20), officials=[person, other])
    later = _rated(
        cast, "nq35", [5, 4], date=datetime.date(2014, 11, 20), officials=[person, other]
    )
    assert [
        (r.line.candidate.official.full_name, r.repeated, r.to_vote) for r in follow_up_rows(later)
    ] == [("Lò Văn Hai", True, True)]
    client.force_login(cast.secretariat)
    page = client.get(reverse("results:page", args=[later.pk])).content.decode()
    assert "hai năm liên tiếp" in page
    history = client.get(reverse("results:official", args=[person.pk])).content.decode()
    assert history.count("repeat-flag") == 1  # on 2014's row, not 2013's
    created, _new = follow_up_services.follow_up_create(actor=cast.secretariat, session=later)
    assert [c.official for c in created.candidates.all()] == [person]


def test_the_two_year_rule_needs_consecutive_years_under_the_same_regime(cast):
    person = _official(cast, "Lò Văn Hai")
    _rated(cast, "nq35", [5], date=datetime.date(2012, 11, 20), officials=[person])
    _rated(cast, "nq85", [5], date=datetime.date(2013, 6, 1), officials=[person])
    later = _rated(cast, "nq35", [5], date=datetime.date(2014, 11, 20), officials=[person])
    assert [r.repeated for r in follow_up_rows(later)] == [False]


def test_the_two_year_rule_applies_to_no_other_regime(cast):
    person = _official(cast, "Lò Văn Hai")
    _rated(cast, "nq85", [5], date=datetime.date(2017, 11, 20), officials=[person])
    later = _rated(cast, "nq85", [5], date=datetime.date(2018, 11, 20), officials=[person])
    assert [(r.repeated, r.to_vote) for r in follow_up_rows(later)] == [(False, False)]
