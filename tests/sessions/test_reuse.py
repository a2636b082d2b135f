"""Reuse (issue 13, item 4): a new session from an earlier one, and a body's roster of members
used as and saved from a session's summoned list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ballots.models import Ballot, VoterCode
from sessions import services
from sessions.imports import VoterRow
from sessions.models import AuditEvent, RegistryEvent, RosterMember, VotingSession
from tests.factories import make_member, open_session

NEW = {"title": "Hội nghị lấy phiếu tín nhiệm năm 2027", "date": "2027-09-05"}


def _source(cast) -> VotingSession:
    """cast.session, with an excluded line and a committee member besides the linked head."""
    session = cast.session
    third = session.candidates.get(order=3)
    services.candidate_update(
        actor=cast.secretariat,
        candidate=third,
        position="Phó Chủ tịch Hội (kiêm nhiệm)",
        excluded=True,
        exclusion_reason="retiring",
        exclusion_note="Nghỉ hưu từ 01/2027",
    )
    services.committee_member_add(
        actor=cast.secretariat, session=session, full_name="Lê Thị Kiểm", unit="VP", role="member"
    )
    return session


def _lists(session: VotingSession):
    return (
        [
            (c.order, c.official_id, c.position, c.excluded, c.exclusion_reason, c.exclusion_note)
            for c in session.candidates.order_by("order")
        ],
        [(v.number, v.full_name, v.unit) for v in session.voters.order_by("number")],
        sorted(session.committee.values_list("full_name", "unit", "role", "user")),
    )


def test_a_new_session_copies_the_candidates_voters_and_committee_of_the_old(client, cast):
    source = _source(cast)
    client.force_login(cast.secretariat)
    response = client.post(reverse("votesessions:reuse", args=[source.pk]), NEW)
    created = VotingSession.objects.exclude(pk__in=[source.pk, cast.other_session.pk]).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("votesessions:detail", args=[created.pk])
    assert (created.title, created.date) == (NEW["title"], datetime.date(2027, 9, 5))
    assert created.is_draft and created.organization == source.organization
    assert (created.regime, created.procedure, created.mode, created.scope, created.place) == (
        source.regime,
        source.procedure,
        source.mode,
        source.scope,
        source.place,
    )
    assert _lists(created) == _lists(source)
    assert created.candidates.get(order=3).exclusion_reason == "retiring"
    event = AuditEvent.objects.get(session=created, action="session_copied")
    assert event.detail["copied_from"] == source.public_id
    assert (event.detail["candidates"], event.detail["voters"], event.detail["committee"]) == (
        3,
        5,
        2,
    )


def test_nothing_of_the_old_vote_is_copied(cast):
    source = cast.session
    open_session(source, cast.secretariat, codes=6, activate=3)
    created = services.session_reuse(
        actor=cast.secretariat, source=source, title="Lần sau", date=datetime.date(2027, 1, 5)
    )
    assert created.is_draft and created.ready_count == 0 and created.voter_list_sha256 == ""
    assert not created.voters.filter(present=True).exists()
    assert source.voters.filter(present=True).exists()
    assert not VoterCode.objects.filter(session=created).exists()
    assert not Ballot.objects.filter(session=created).exists()
    assert not created.audit_events.exclude(action="session_copied").exists()


def test_a_not_rated_line_for_a_post_taken_that_year_is_asked_again_for_the_new_year(cast):
    """ "Elected or appointed in the year of the rating" holds for one year: a session made from
    last year's list rates the person (the attack on issue 13 found the line carried over)."""
    source = cast.session
    line = source.candidates.order_by("order").first()
    line.excluded, line.exclusion_reason = True, "new"
    line.exclusion_note = "Được bầu trong năm"
    line.save()
    same_year = services.session_reuse(
        actor=cast.secretariat, source=source, title="Cùng năm", date=source.date
    )
    assert same_year.candidates.get(official=line.official).excluded
    next_year = source.date.replace(year=source.date.year + 1)
    created = services.session_reuse(
        actor=cast.secretariat, source=source, title="Năm sau", date=next_year
    )
    copied = created.candidates.get(official=line.official)
    assert not copied.excluded and copied.exclusion_reason == "" and copied.exclusion_note == ""


def test_a_linked_account_that_lost_its_committee_role_is_copied_unlinked(cast):
    source = cast.session
    cast.committee.memberships.all().delete()
    created = services.session_reuse(
        actor=cast.secretariat, source=source, title="Lần sau", date=datetime.date(2027, 1, 5)
    )
    head = created.committee.get(role="head")
    assert (head.full_name, head.user) == ("Trưởng Ban Kiểm", None)
    event = created.audit_events.get(action="session_copied")
    assert event.detail["unlinked"] == ["Trưởng Ban Kiểm"]


def test_a_bad_title_or_date_is_refused_and_creates_nothing(client, cast):
    client.force_login(cast.secretariat)
    before = VotingSession.objects.count()
    for data in [{"title": "", "date": "2027-01-05"}, {"title": "X", "date": "2027-02-30"}]:
        response = client.post(reverse("votesessions:reuse", args=[cast.session.pk]), data)
        assert response.status_code == 400
    assert VotingSession.objects.count() == before


@pytest.mark.parametrize("who", ["committee", "leader", "parent_leader", "other_secretariat"])
def test_only_the_secretariat_of_the_body_gets_past_a_404(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("votesessions:reuse", args=[cast.session.pk])
    before = VotingSession.objects.count()
    assert (client.get(url).status_code, client.post(url, NEW).status_code) == (404, 404)
    assert client.get(reverse("votesessions:reuse", args=[999999])).status_code == 404
    assert VotingSession.objects.count() == before


def test_the_overview_offers_it_only_to_the_secretariat(client, cast):
    url = reverse("votesessions:reuse", args=[cast.session.pk])
    client.force_login(cast.secretariat)
    assert (
        url in client.get(reverse("votesessions:detail", args=[cast.session.pk])).content.decode()
    )
    client.force_login(cast.leader)
    assert (
        url
        not in client.get(reverse("votesessions:detail", args=[cast.session.pk])).content.decode()
    )


# --- The body's roster ------------------------------------------------------------------------


def test_a_sessions_list_saved_as_the_roster_fills_the_next_session(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(reverse("votesessions:roster_from_voters", args=[cast.session.pk]))
    assert response.status_code == 302
    assert list(cast.org.roster.values_list("number", "full_name")) == [
        (i + 1, f"Đại biểu {i + 1}") for i in range(5)
    ]
    assert cast.session.audit_events.filter(action="roster_saved").exists()
    assert RegistryEvent.objects.filter(subject="organization", object_id=cast.org.pk).exists()
    later = services.session_create(
        actor=cast.secretariat,
        organization=cast.org,
        title="Năm sau",
        date=datetime.date(2027, 9, 5),
        place="Hội trường",
        regime="qd96",
    )
    url = reverse("votesessions:voters_from_roster", args=[later.pk])
    assert client.post(url, {"replace": "0"}).status_code == 302
    assert list(later.voters.values_list("number", "full_name", "unit")) == list(
        cast.session.voters.values_list("number", "full_name", "unit")
    )
    event = later.audit_events.get(action="voters_from_roster")
    assert (event.detail["count"], event.detail["replaced"]) == (5, False)


def test_using_the_roster_again_appended_is_refused_whole_and_replaced_works(client, cast):
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)
    services.voter_add(actor=cast.secretariat, session=cast.session, full_name="Khách Mời")
    client.force_login(cast.secretariat)
    url = reverse("votesessions:voters_from_roster", args=[cast.session.pk])
    refused = client.post(url, {"replace": "0"})
    assert refused.status_code == 409
    assert cast.session.voters.count() == 6
    assert client.post(url, {"replace": "1"}).status_code == 302
    assert cast.session.voters.count() == 5
    assert not cast.session.voters.filter(full_name="Khách Mời").exists()


def test_an_empty_roster_or_a_frozen_list_is_refused(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("votesessions:voters_from_roster", args=[cast.session.pk])
    assert client.post(url, {"replace": "1"}).status_code == 409  # the roster is empty
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    assert client.post(url, {"replace": "1"}).status_code == 409  # the lists are frozen
    assert not cast.session.audit_events.filter(action="voters_from_roster").exists()


def test_the_roster_page_adds_and_removes_members_with_a_record(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("votesessions:roster", args=[cast.org.pk])
    assert client.post(url, {"full_name": "Hà  Văn Một", "unit": "Ủy viên"}).status_code == 302
    twice = client.post(url, {"full_name": "Hà Văn Một", "unit": "Ủy viên"})
    assert twice.status_code == 400
    member = RosterMember.objects.get()
    assert (member.number, member.full_name) == (1, "Hà Văn Một")
    page = client.get(url).content.decode()
    assert "Hà Văn Một" in page
    remove = reverse("votesessions:roster_remove", args=[cast.org.pk, member.pk])
    assert client.post(remove).status_code == 302
    assert not RosterMember.objects.exists()
    assert RegistryEvent.objects.filter(object_id=cast.org.pk, subject="organization").count() == 2


@pytest.mark.parametrize("who", ["committee", "leader", "parent_leader", "other_secretariat"])
def test_the_roster_is_the_bodys_secretariats_alone(client, cast, who):
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)
    member = cast.org.roster.first()
    client.force_login(getattr(cast, who))
    responses = [
        client.get(reverse("votesessions:roster", args=[cast.org.pk])),
        client.post(reverse("votesessions:roster", args=[cast.org.pk]), {"full_name": "X"}),
        client.post(reverse("votesessions:roster_remove", args=[cast.org.pk, member.pk])),
        client.post(reverse("votesessions:voters_from_roster", args=[cast.session.pk])),
        client.post(reverse("votesessions:roster_from_voters", args=[cast.session.pk])),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert cast.org.roster.count() == 5


def test_a_member_of_another_bodys_roster_is_a_404(client, cast):
    other = make_member(cast.other_org, "secretariat")
    services.roster_member_add(actor=other, organization=cast.other_org, full_name="Người Khác")
    foreign = cast.other_org.roster.get()
    client.force_login(cast.secretariat)
    url = reverse("votesessions:roster_remove", args=[cast.org.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert cast.other_org.roster.exists()


def test_the_voters_tab_offers_the_roster_to_the_secretariat(client, cast):
    services.voters_import(
        actor=cast.secretariat,
        session=cast.session,
        rows=[VoterRow(line=2, full_name="Thêm Người", unit="")],
        replace=False,
    )
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.secretariat)
    page = client.get(reverse("votesessions:voters", args=[cast.session.pk])).content.decode()
    assert reverse("votesessions:voters_from_roster", args=[cast.session.pk]) in page
    assert reverse("votesessions:roster_from_voters", args=[cast.session.pk]) in page
    client.force_login(cast.leader)
    page = client.get(reverse("votesessions:voters", args=[cast.session.pk])).content.decode()
    assert reverse("votesessions:voters_from_roster", args=[cast.session.pk]) not in page
