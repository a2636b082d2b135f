"""Accounts and roles changed by an organization administrator: every change recorded, every
refusal coded, nothing half-applied."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from people import services
from people.models import Account, AccountEvent
from sessions.models import Membership, RegistryEvent
from tests.factories import make_member, make_org, make_user

Role = Membership.Role
User = get_user_model()


def signs_in(username: str, password: str) -> bool:
    """Through the sign-in page (django-axes wants the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_an_administrator_creates_an_account_whose_temporary_password_signs_in(client, tree):
    client.force_login(tree.admin_a)
    response = client.post(
        reverse("people:account_create"),
        {
            "full_name": "  Trần  Văn Đông ",
            "username": "dong",
            "organization": tree.a1.pk,
            "role": Role.SECRETARIAT,
        },
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    user = User.objects.get(username="dong")
    assert (user.first_name, user.last_name) == ("Trần Văn Đông", "")
    assert Account.objects.get(user=user).organization == tree.a1
    assert Membership.objects.filter(user=user, organization=tree.a1, role=Role.SECRETARIAT)
    event = AccountEvent.objects.get(account=user)
    assert (event.actor, event.action, event.organization) == (tree.admin_a, "created", tree.a1)
    assert password not in str(event.detail)
    assert password not in user.password
    assert signs_in("dong", password)


def test_an_account_cannot_be_created_at_a_body_above_or_beside_the_administrator(client, tree):
    client.force_login(tree.admin_a)
    for body in (tree.province, tree.b):
        data = {"full_name": "Lê Thị Hoa", "username": "hoa", "organization": body.pk}
        response = client.post(reverse("people:account_create"), {**data, "role": "secretariat"})
        assert response.status_code == 200
        assert "organization" in response.context["form"].errors
    assert not User.objects.filter(username="hoa").exists()
    with pytest.raises(ValidationError) as refusal:
        services.account_create(
            actor=tree.admin_a,
            username="hoa",
            full_name="Lê Thị Hoa",
            organization=tree.b,
            role=Role.SECRETARIAT,
        )
    assert refusal.value.code == "out_of_reach"
    assert not User.objects.filter(username="hoa").exists()


def test_a_taken_username_is_a_form_error_and_creates_nothing(client, tree):
    client.force_login(tree.admin_a)
    response = client.post(
        reverse("people:account_create"),
        {
            "full_name": "Lê Thị Hoa",
            "username": "THUKY_A",
            "organization": tree.a.pk,
            "role": "committee",
        },
    )
    assert "THUKY_A" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert User.objects.filter(username__iexact="thuky_a").count() == 1
    assert not AccountEvent.objects.exists()


def test_nobody_grants_a_role_above_their_own_reach(client, tree):
    client.force_login(tree.admin_a1)
    # An administrator of A1 cannot make its own secretariat an administrator of A above it.
    target = make_member(tree.a1, Role.SECRETARIAT)
    response = client.post(
        reverse("people:role_grant", args=[target.pk]),
        {"organization": tree.a.pk, "role": Role.ADMIN},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=target, organization=tree.a).exists()
    with pytest.raises(ValidationError) as refusal:
        services.role_grant(
            actor=tree.admin_a1, account=target, organization=tree.a, role=Role.ADMIN
        )
    assert refusal.value.code == "out_of_reach"
    # Within reach it works, and is recorded.
    services.role_grant(actor=tree.admin_a1, account=target, organization=tree.a1, role="leader")
    assert AccountEvent.objects.filter(account=target, action="granted").count() == 1


def test_an_account_of_a_sibling_body_is_the_same_404_as_a_missing_one(client, tree):
    client.force_login(tree.admin_a)
    for url in (
        reverse("people:account", args=[tree.admin_b.pk]),
        reverse("people:account", args=[99999]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("people:password_reset", args=[tree.admin_b.pk])).status_code == 404
    response = client.post(reverse("people:account_active", args=[tree.admin_b.pk]), {"active": 0})
    assert response.status_code == 404
    tree.admin_b.refresh_from_db()
    assert tree.admin_b.is_active


def test_deactivating_the_last_administrator_who_reaches_a_body_is_refused(tree):
    support = make_user("hotro", is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError) as refusal:  # nobody above administers the province
        services.account_set_active(actor=support, account=tree.admin_province, active=False)
    assert refusal.value.code == "last_admin"
    tree.admin_province.refresh_from_db()
    assert tree.admin_province.is_active
    # With a second administrator at the province, the first can go.
    services.role_grant(
        actor=support, account=tree.secretariat_a, organization=tree.province, role="admin"
    )
    services.account_set_active(actor=support, account=tree.admin_province, active=False)
    tree.admin_province.refresh_from_db()
    assert not tree.admin_province.is_active


def test_the_administrator_above_may_remove_a_lower_bodys_own_last_administrator(client, tree):
    """A body administered from above is not left without an administrator (the attack on
    issue 13 found the province's administrator unable to replace a district's)."""
    client.force_login(tree.admin_province)
    response = client.post(reverse("people:account_active", args=[tree.admin_a.pk]), {"active": 0})
    assert response.status_code == 302
    tree.admin_a.refresh_from_db()
    assert not tree.admin_a.is_active
    assert AccountEvent.objects.filter(account=tree.admin_a, action="deactivated").exists()
    assert not signs_in("qt_a", "pw")


def test_withdrawing_the_last_administrator_role_that_reaches_a_body_is_refused(tree):
    support = make_user("hotro", is_superuser=True, is_staff=True)
    membership = Membership.objects.get(user=tree.admin_province, role=Role.ADMIN)
    with pytest.raises(ValidationError) as refusal:
        services.role_withdraw(actor=support, membership=membership)
    assert refusal.value.code == "last_admin"
    assert Membership.objects.filter(pk=membership.pk).exists()
    # A district's own administrator may go: the province's still reaches the district.
    services.role_withdraw(
        actor=tree.admin_a, membership=Membership.objects.get(user=tree.admin_a1, role=Role.ADMIN)
    )


def test_an_administrator_cannot_rename_the_top_of_their_own_reach(tree):
    with pytest.raises(ValidationError) as refusal:
        services.body_update(actor=tree.admin_a, body=tree.a, name="Hacked")
    assert refusal.value.code == "top_body"
    with pytest.raises(ValidationError):
        services.body_update(actor=tree.admin_province, body=tree.province, kind="state")
    services.body_update(actor=tree.admin_a, body=tree.a, member_noun="đảng viên")
    services.body_update(actor=tree.admin_province, body=tree.a, name="Huyện ủy A mới")
    tree.a.refresh_from_db()
    assert (tree.a.name, tree.a.member_noun) == ("Huyện ủy A mới", "đảng viên")


def test_an_unclear_active_value_is_a_400_and_changes_nothing(client, tree):
    client.force_login(tree.admin_province)
    url = reverse("people:account_active", args=[tree.admin_a.pk])
    assert client.post(url, {"active": "garbage"}).status_code == 400
    tree.admin_a.refresh_from_db()
    assert tree.admin_a.is_active


def test_a_user_cannot_deactivate_themselves(tree):
    other = make_member(tree.a, Role.ADMIN)  # not the last administrator either
    with pytest.raises(ValidationError) as refusal:
        services.account_set_active(actor=tree.admin_a, account=tree.admin_a, active=False)
    assert refusal.value.code == "yourself"
    tree.admin_a.refresh_from_db()
    assert tree.admin_a.is_active and other.is_active


def test_an_account_with_a_role_elsewhere_can_be_seen_but_not_changed(client, tree):
    shared = make_member(tree.a, Role.COMMITTEE)
    Membership.objects.create(user=shared, organization=tree.b, role=Role.COMMITTEE)
    client.force_login(tree.admin_a)
    page = client.get(reverse("people:account", args=[shared.pk]))
    assert page.status_code == 200 and not page.context["within_reach"]
    for act in (services.password_reset, services.account_rename):
        kwargs = {"full_name": "X"} if act is services.account_rename else {}
        with pytest.raises(ValidationError) as refusal:
            act(actor=tree.admin_a, account=shared, **kwargs)
        assert refusal.value.code == "out_of_reach"
    old = shared.password
    shared.refresh_from_db()
    assert shared.password == old


def test_a_password_reset_shows_a_new_password_once_and_the_old_one_stops_working(client, tree):
    client.force_login(tree.admin_a)
    response = client.post(
        reverse("people:password_reset", args=[tree.secretariat_a.pk]), follow=True
    )
    password = response.context["password"]
    assert password in response.content.decode()
    assert not signs_in("thuky_a", "pw")
    assert signs_in("thuky_a", password)
    event = AccountEvent.objects.get(account=tree.secretariat_a, action="password")
    assert event.actor == tree.admin_a and password not in str(event.detail)
    # The account's page never shows it again.
    page = client.get(reverse("people:account", args=[tree.secretariat_a.pk])).content.decode()
    assert password not in page


def test_a_withdrawn_role_is_recorded_and_the_account_stays_reachable(client, tree):
    client.force_login(tree.admin_a)
    membership = Membership.objects.get(user=tree.secretariat_a)
    url = reverse("people:role_withdraw", args=[tree.secretariat_a.pk, membership.pk])
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AccountEvent.objects.get(action="withdrawn").organization == tree.a
    # Made in the admin, the account has no home body: without a role here it is out of sight.
    assert client.get(reverse("people:account", args=[tree.secretariat_a.pk])).status_code == 404


def test_an_administrator_creates_and_renames_a_body_below_and_each_change_is_recorded(
    client, tree
):
    client.force_login(tree.admin_a)
    response = client.post(
        reverse("people:body_create", args=[tree.a1.pk]),
        {
            "name": "Chi bộ thôn 1",
            "kind": "party",
            "document_name": "ĐẢNG ỦY XÃ A1 / CHI BỘ THÔN 1",
            "locality": "A1",
            "abbreviation": "CB",
            "member_noun": "",
        },
    )
    body = tree.a1.children.get()
    assert response.url == reverse("people:body", args=[body.pk])
    assert (body.name, body.kind, body.abbreviation) == ("Chi bộ thôn 1", "party", "CB")
    client.post(
        reverse("people:body_edit", args=[body.pk]),
        {
            "name": "Chi bộ thôn Một",
            "kind": "party",
            "document_name": body.document_name,
            "locality": "A1",
            "abbreviation": "CB",
            "member_noun": "",
        },
    )
    body.refresh_from_db()
    assert body.name == "Chi bộ thôn Một"
    events = RegistryEvent.objects.filter(object_id=body.pk, subject="organization")
    assert [e.action for e in events.order_by("pk")] == ["added", "changed"]
    assert events.order_by("pk").last().before == {"name": "Chi bộ thôn 1"}


def test_a_body_cannot_be_made_below_one_out_of_reach_nor_with_a_taken_name(client, tree):
    client.force_login(tree.admin_a)
    data = {
        "name": "Chi bộ mới",
        "kind": "party",
        "document_name": "",
        "locality": "",
        "abbreviation": "",
        "member_noun": "",
    }
    assert client.post(reverse("people:body_create", args=[tree.b.pk]), data).status_code == 404
    response = client.post(
        reverse("people:body_create", args=[tree.a.pk]),
        {**data, "name": "hội đồng nhân dân huyện b"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert tree.a.children.count() == 1  # A1 only


def test_a_support_account_is_out_of_every_administrators_sight(client, tree):
    support = User.objects.create_superuser("support", password="pw")
    Membership.objects.create(user=support, organization=tree.a, role=Role.LEADER)
    client.force_login(tree.admin_a)
    assert client.get(reverse("people:account", args=[support.pk])).status_code == 404


def test_an_unrelated_administrator_elsewhere_changes_nothing_here(tree):
    elsewhere = make_member(make_org("Tỉnh khác"), Role.ADMIN)
    with pytest.raises(ValidationError):
        services.body_create(actor=elsewhere, parent=tree.a, name="X", kind="party")
    assert not tree.a.children.filter(name="X").exists()
