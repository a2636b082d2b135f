"""The access matrix: each role against each page, including another organization's session."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import reverse

from sessions.access import Need, get_candidate_for_user, get_session_for_user, sessions_for
from sessions.models import AuditEvent, Candidate

READERS = ["secretariat", "committee", "leader", "parent_leader", "superuser"]
NOT_READERS = ["other_secretariat", "outsider"]
PREPARERS = ["secretariat", "superuser"]
NOT_PREPARERS = ["committee", "leader", "parent_leader", "other_secretariat", "outsider"]

READ_PAGES = ["detail", "audit", "candidates", "voters", "committee"]


def _without_csrf(response) -> str:
    """The page minus what differs per request: the CSRF token and the current path."""
    return re.sub(
        r'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]+"',
        "",
        response.content.decode(),
    )


def _login(client, cast, who):
    client.force_login(getattr(cast, who))


def _child_url(cast, name):
    s = cast.session
    if name == "candidate_edit":
        return reverse(f"votesessions:{name}", args=[s.pk, s.candidates.first().pk])
    if name == "voter_edit":
        return reverse(f"votesessions:{name}", args=[s.pk, s.voters.first().pk])
    if name == "committee_edit":
        return reverse(f"votesessions:{name}", args=[s.pk, s.committee.first().pk])
    return reverse(f"votesessions:{name}", args=[s.pk])


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", READERS)
def test_members_and_parent_leaders_can_read_session_pages(client, cast, who, page):
    _login(client, cast, who)
    response = client.get(reverse(f"votesessions:{page}", args=[cast.session.pk]))
    assert response.status_code == 200
    assert cast.session.title in response.content.decode()


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", NOT_READERS)
def test_other_organizations_get_the_same_404_as_a_missing_session(client, cast, who, page):
    _login(client, cast, who)
    forbidden = client.get(reverse(f"votesessions:{page}", args=[cast.session.pk]))
    missing = client.get(reverse(f"votesessions:{page}", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    assert _without_csrf(forbidden) == _without_csrf(missing)


@pytest.mark.parametrize("page", READ_PAGES + ["dashboard"])
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, page):
    url = (
        reverse("votesessions:dashboard")
        if page == "dashboard"
        else reverse(f"votesessions:{page}", args=[cast.session.pk])
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


PREPARE_PAGES = ["edit", "voters_import", "candidate_edit", "voter_edit", "committee_edit"]


@pytest.mark.parametrize("page", PREPARE_PAGES)
@pytest.mark.parametrize("who", PREPARERS)
def test_secretariat_opens_the_preparation_pages(client, cast, who, page):
    _login(client, cast, who)
    assert client.get(_child_url(cast, page)).status_code == 200


@pytest.mark.parametrize("page", PREPARE_PAGES)
@pytest.mark.parametrize("who", NOT_PREPARERS)
def test_only_the_secretariat_opens_the_preparation_pages(client, cast, who, page):
    _login(client, cast, who)
    assert client.get(_child_url(cast, page)).status_code == 404


POST_ACTIONS = [
    ("ready", {}),
    ("candidate_move", {"direction": "down"}),
    ("candidate_remove", {}),
    ("voter_remove", {}),
    ("committee_remove", {}),
    ("candidates", {"full_name": "Người Mới", "positions": "Ủy viên"}),
    ("voters", {"full_name": "Đại biểu Mới", "unit": ""}),
    ("committee", {"full_name": "Thành viên Mới", "unit": "", "role": "member"}),
    (
        "edit",
        {
            "title": "Đổi tên",
            "date": "2026-12-20",
            "place": "X",
            "regime": "qd96",
            "procedure": "rating",
            "mode": "electronic",
            "scope": "",
        },
    ),
]


def _action_url(cast, name):
    s = cast.session
    children = {
        "candidate_move": s.candidates.first,
        "candidate_remove": s.candidates.first,
        "voter_remove": s.voters.first,
        "committee_remove": s.committee.first,
    }
    if name in children:
        return reverse(f"votesessions:{name}", args=[s.pk, children[name]().pk])
    return reverse(f"votesessions:{name}", args=[s.pk])


@pytest.mark.parametrize(("action", "data"), POST_ACTIONS)
@pytest.mark.parametrize("who", NOT_PREPARERS)
def test_nobody_but_the_secretariat_changes_a_session(client, cast, who, action, data):
    _login(client, cast, who)
    events = AuditEvent.objects.count()
    response = client.post(_action_url(cast, action), data)
    assert response.status_code == 404
    assert AuditEvent.objects.count() == events
    cast.session.refresh_from_db()
    assert cast.session.status == "draft"


@pytest.mark.parametrize(("action", "data"), POST_ACTIONS)
def test_the_secretariat_changes_its_session_and_each_change_is_audited(client, cast, action, data):
    _login(client, cast, "secretariat")
    events = AuditEvent.objects.filter(session=cast.session).count()
    response = client.post(_action_url(cast, action), data)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(session=cast.session).count() == events + 1
    assert AuditEvent.objects.filter(session=cast.session).last().actor == cast.secretariat


@pytest.mark.parametrize(
    "action", ["candidate_move", "candidate_remove", "voter_remove", "committee_remove"]
)
def test_a_child_id_from_another_session_is_a_404(client, cast, action):
    """Ids of the other organization's rows, put under our own session's URL, find nothing."""
    _login(client, cast, "secretariat")
    other = cast.other_session
    child = {
        "candidate_move": other.candidates.first,
        "candidate_remove": other.candidates.first,
        "voter_remove": other.voters.first,
        "committee_remove": other.committee.first,
    }[action]()
    response = client.post(reverse(f"votesessions:{action}", args=[cast.session.pk, child.pk]))
    assert response.status_code == 404
    assert type(child).objects.filter(pk=child.pk).exists()


def test_dashboard_lists_only_the_sessions_a_user_may_read(client, cast):
    _login(client, cast, "secretariat")
    page = client.get(reverse("votesessions:dashboard")).content.decode()
    assert cast.session.title in page
    assert cast.other_session.title not in page


def test_a_parent_organizations_leader_sees_the_childrens_sessions(cast):
    visible = set(sessions_for(cast.parent_leader))
    assert cast.session in visible
    assert cast.other_session not in visible


def test_a_leader_does_not_see_sideways_or_upwards(cast):
    assert list(sessions_for(cast.leader)) == [cast.session]


def test_a_secretariat_of_a_parent_does_not_prepare_the_childs_sessions(cast):
    from tests.factories import make_member

    parent_secretariat = make_member(cast.province, "secretariat")
    with pytest.raises(Http404):
        get_session_for_user(parent_secretariat, cast.session.pk, need=Need.PREPARE)


def test_an_inactive_account_reads_nothing(cast):
    cast.secretariat.is_active = False
    cast.secretariat.save()
    with pytest.raises(Http404):
        get_session_for_user(cast.secretariat, cast.session.pk)


def test_candidate_helper_refuses_a_candidate_of_another_session(cast):
    candidate = Candidate.objects.filter(session=cast.other_session).first()
    with pytest.raises(Http404):
        get_candidate_for_user(cast.secretariat, cast.session.pk, candidate.pk)


def test_only_secretariat_members_may_create_sessions(client, cast):
    _login(client, cast, "committee")
    response = client.get(reverse("votesessions:create"))
    assert response.status_code == 302
    _login(client, cast, "secretariat")
    assert client.get(reverse("votesessions:create")).status_code == 200


def test_a_session_cannot_be_created_for_an_organization_one_does_not_serve(client, cast):
    _login(client, cast, "secretariat")
    response = client.post(
        reverse("votesessions:create"),
        {
            "organization": cast.other_org.pk,
            "title": "Lén tạo",
            "date": "2026-12-20",
            "place": "X",
            "regime": "qd96",
            "procedure": "rating",
            "mode": "electronic",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not cast.other_org.sessions.filter(title="Lén tạo").exists()
