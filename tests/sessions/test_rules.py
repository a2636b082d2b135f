"""The committee/candidate rule, the list operations and the scope defaults."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions import services
from sessions.models import AuditEvent, Official
from sessions.selectors import readiness_blockers
from tests.factories import make_session


def test_a_person_being_rated_cannot_join_the_committee(cast):
    rated = cast.session.candidates.first().official.full_name
    with pytest.raises(ValidationError) as excinfo:
        services.committee_member_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name=f"  {rated.upper()} ",
            unit="",
            role="member",
        )
    assert excinfo.value.code == "rated"
    assert not cast.session.committee.filter(full_name__iexact=rated).exists()


def test_a_committee_member_cannot_be_added_to_the_ballot(cast):
    member = cast.session.committee.get()
    with pytest.raises(ValidationError) as excinfo:
        services.candidate_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name=member.full_name,
            positions="Ủy viên",
        )
    assert excinfo.value.code == "on_committee"
    assert not Official.objects.filter(full_name=member.full_name).exists()


def test_an_excluded_person_may_sit_on_the_committee_but_not_return_to_the_ballot(cast):
    candidate = cast.session.candidates.first()
    services.candidate_update(
        actor=cast.secretariat,
        candidate=candidate,
        position=candidate.position,
        excluded=True,
        exclusion_reason="new",
    )
    services.committee_member_add(
        actor=cast.secretariat,
        session=cast.session,
        full_name=candidate.official.full_name,
        unit="",
        role="member",
    )
    with pytest.raises(ValidationError):
        services.candidate_update(
            actor=cast.secretariat, candidate=candidate, position=candidate.position, excluded=False
        )
    candidate.refresh_from_db()
    assert candidate.excluded


def test_the_committee_page_shows_the_rule_instead_of_saving(client, cast):
    client.force_login(cast.secretariat)
    rated = cast.session.candidates.first().official.full_name
    response = client.post(
        reverse("votesessions:committee", args=[cast.session.pk]),
        {"full_name": rated, "unit": "", "role": "member"},
    )
    assert response.status_code == 200
    assert rated in response.content.decode()
    assert cast.session.committee.count() == 1


def test_a_second_head_is_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.committee_member_add(
            actor=cast.secretariat, session=cast.session, full_name="Khác", unit="", role="head"
        )
    assert excinfo.value.code == "second_head"


def test_the_same_official_cannot_be_listed_twice(cast):
    official = cast.session.candidates.first().official
    with pytest.raises(ValidationError) as excinfo:
        services.candidate_add(actor=cast.secretariat, session=cast.session, official=official)
    assert excinfo.value.code == "duplicate"


def test_an_official_is_rated_again_in_a_later_session(cast):
    official = cast.session.candidates.first().official
    later = make_session(cast.org, cast.secretariat, title="Năm sau")
    candidate = services.candidate_add(actor=cast.secretariat, session=later, official=official)
    assert candidate.position == official.positions
    assert official.candidacies.count() == 2


def test_an_official_of_another_organization_cannot_be_put_on_the_ballot(cast):
    stranger = cast.other_session.candidates.first().official
    with pytest.raises(ValidationError):
        services.candidate_add(actor=cast.secretariat, session=cast.session, official=stranger)


def test_excluding_needs_a_reason(client, cast):
    client.force_login(cast.secretariat)
    candidate = cast.session.candidates.first()
    response = client.post(
        reverse("votesessions:candidate_edit", args=[cast.session.pk, candidate.pk]),
        {"position": candidate.position, "excluded": "on", "exclusion_reason": ""},
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert not candidate.excluded


def test_an_excluded_person_stays_listed_with_the_reason_and_leaves_the_ballot(client, cast):
    client.force_login(cast.secretariat)
    candidate = cast.session.candidates.first()
    client.post(
        reverse("votesessions:candidate_edit", args=[cast.session.pk, candidate.pk]),
        {"position": candidate.position, "excluded": "on", "exclusion_reason": "retiring"},
    )
    candidate.refresh_from_db()
    assert (candidate.excluded, candidate.exclusion_reason) == (True, "retiring")
    page = client.get(reverse("votesessions:candidates", args=[cast.session.pk])).content.decode()
    assert candidate.official.full_name in page
    overview = client.get(reverse("votesessions:detail", args=[cast.session.pk]))
    on_ballot = [c.official.full_name for c in overview.context["candidates"] if not c.excluded]
    assert candidate.official.full_name not in on_ballot


def test_moving_swaps_two_neighbours_and_keeps_orders_dense(cast):
    first, second, third = cast.session.candidates.order_by("order")
    services.candidate_move(actor=cast.secretariat, candidate=third, up=True)
    order = list(cast.session.candidates.order_by("order").values_list("pk", "order"))
    assert order == [(first.pk, 1), (third.pk, 2), (second.pk, 3)]
    services.candidate_move(actor=cast.secretariat, candidate=first, up=True)  # already first
    assert list(cast.session.candidates.order_by("order").values_list("pk", "order")) == order


def test_removing_a_candidate_closes_the_gap(cast):
    first, second, third = cast.session.candidates.order_by("order")
    services.candidate_remove(actor=cast.secretariat, candidate=second)
    assert list(cast.session.candidates.order_by("order").values_list("pk", "order")) == [
        (first.pk, 1),
        (third.pk, 2),
    ]


@pytest.mark.parametrize(
    ("regime", "scope"), [("nq96", "public"), ("qd96", "internal"), ("nq85", "internal")]
)
def test_the_publication_scope_defaults_by_regime(cast, regime, scope):
    assert make_session(cast.org, cast.secretariat, regime=regime).scope == scope


def test_a_chosen_scope_wins_over_the_default(cast):
    assert make_session(cast.org, cast.secretariat, regime="nq96", scope="internal").scope == (
        "internal"
    )


def test_creating_a_session_in_the_browser(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("votesessions:create"),
        {
            "organization": cast.org.pk,
            "title": "Kỳ họp thứ 15",
            "date": "2026-12-08",
            "start_time": "08:00",
            "place": "Hội trường",
            "regime": "nq96",
            "procedure": "confidence",
            "mode": "paper_tally",
            "scope": "",
        },
    )
    session = cast.org.sessions.get(title="Kỳ họp thứ 15")
    assert response.status_code == 302
    assert (session.status, session.scope, session.procedure) == ("draft", "public", "confidence")
    assert [lvl for lvl, _label in session.levels()] == ["yes", "no"]
    assert AuditEvent.objects.filter(session=session, action="session_created").exists()


def test_a_session_without_title_or_date_is_refused_with_field_errors(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(reverse("votesessions:create"), {"organization": cast.org.pk})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "date", "place", "regime"}


def test_the_voter_search_finds_by_name_or_unit(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("votesessions:voters", args=[cast.session.pk])
    assert len(client.get(url, {"q": "biểu 3"}).context["voters"]) == 1
    assert len(client.get(url, {"q": "BCH"}).context["voters"]) == 5


def test_adding_a_voter_twice_is_refused_plainly(client, cast):
    client.force_login(cast.secretariat)
    voter = cast.session.voters.first()
    response = client.post(
        reverse("votesessions:voters", args=[cast.session.pk]),
        {"full_name": voter.full_name, "unit": voter.unit},
    )
    assert response.status_code == 200
    assert cast.session.voters.filter(full_name=voter.full_name).count() == 1


def test_the_checklist_reports_a_conflict_created_through_the_admin(cast):
    from sessions.models import CommitteeMember

    rated = cast.session.candidates.first().official.full_name
    CommitteeMember.objects.create(session=cast.session, full_name=rated, role="member")
    assert any(rated in str(check.hint) for check in readiness_blockers(cast.session))
