"""Committee members linked to accounts on the Committee tab: only this body's committee accounts,
each once, audited; the committee changes until the results are certified, not after."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions import services
from sessions.models import AuditEvent, CommitteeMember, Membership
from tests.factories import make_member

Role = Membership.Role


def _member(cast) -> CommitteeMember:
    return services.committee_member_add(
        actor=cast.secretariat,
        session=cast.session,
        full_name="Ma Văn Kiên",
        unit="",
        role="member",
    )


def test_the_account_choice_lists_only_this_bodys_committee_accounts(client, cast):
    other_committee = make_member(cast.other_org, Role.COMMITTEE, "kiemphieu_khac")
    inactive = make_member(cast.org, Role.COMMITTEE, "kiemphieu_cu")
    inactive.is_active = False
    inactive.save()
    client.force_login(cast.secretariat)
    form = client.get(reverse("votesessions:committee", args=[cast.session.pk])).context["form"]
    offered = set(form.fields["user"].queryset)
    assert cast.committee in offered
    # Not another body's committee, not the secretariat, not a leader, not a closed account.
    assert not offered & {other_committee, cast.secretariat, cast.leader, inactive}


def test_a_forged_post_with_another_bodys_account_is_a_form_error_and_changes_nothing(client, cast):
    other_committee = make_member(cast.other_org, Role.COMMITTEE, "kiemphieu_khac")
    member = _member(cast)
    client.force_login(cast.secretariat)
    url = reverse("votesessions:committee_edit", args=[cast.session.pk, member.pk])
    data = {"full_name": member.full_name, "unit": "", "role": "member"}
    response = client.post(url, {**data, "user": other_committee.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    member.refresh_from_db()
    assert member.user is None
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as caught:
        services.committee_member_update(
            actor=cast.secretariat, member=member, user=other_committee, **data
        )
    assert caught.value.code == "not_committee_account"


def test_linking_an_account_is_audited_and_shown_on_the_tab(client, cast):
    member = _member(cast)
    head = cast.session.committee.get(role="head")
    services.committee_member_update(  # the head holds the account in the shared cast
        actor=cast.secretariat, member=head, full_name=head.full_name, unit="", role="head"
    )
    client.force_login(cast.secretariat)
    url = reverse("votesessions:committee_edit", args=[cast.session.pk, member.pk])
    response = client.post(
        url,
        {"full_name": member.full_name, "unit": "", "role": "member", "user": cast.committee.pk},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user == cast.committee
    event = AuditEvent.objects.filter(session=cast.session, action="committee_updated").last()
    assert (event.detail["account"], event.detail["account_before"]) == ("kiemphieu", "")
    page = client.get(reverse("votesessions:committee", args=[cast.session.pk])).text
    assert "kiemphieu" in page


def test_one_account_sits_once_on_a_committee(cast):
    assert cast.session.committee.get(role="head").user == cast.committee
    with pytest.raises(ValidationError) as caught:
        services.committee_member_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name="Ma Văn Kiên",
            unit="",
            role="member",
            user=cast.committee,
        )
    assert caught.value.code == "account_taken"


def test_the_committee_changes_after_the_lists_are_frozen(client, cast):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.secretariat)
    url = reverse("votesessions:committee", args=[cast.session.pk])
    response = client.post(url, {"full_name": "Bầu Tại Hội Nghị", "unit": "", "role": "member"})
    assert response.status_code == 302
    assert cast.session.committee.filter(full_name="Bầu Tại Hội Nghị").exists()
    # Still nobody being rated.
    with pytest.raises(ValidationError) as caught:
        services.committee_member_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name="Ứng viên Số 1",
            unit="",
            role="member",
        )
    assert caught.value.code == "rated"


def test_only_the_secretariat_edits_the_committee(client, cast):
    member = _member(cast)
    for user in (cast.committee, cast.leader, cast.outsider):
        client.force_login(user)
        url = reverse("votesessions:committee_edit", args=[cast.session.pk, member.pk])
        response = client.post(url, {"full_name": "X", "unit": "", "role": "member"})
        assert response.status_code == 404
    member.refresh_from_db()
    assert member.full_name == "Ma Văn Kiên"
