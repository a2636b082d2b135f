"""A temporary password (an account created, or its password reset, by an organization
administrator) is shown once on a GET page and must be changed at the first sign-in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from people.models import Account, AccountEvent
from sessions.models import Membership

Role = Membership.Role
User = get_user_model()


def _create(client, tree, username="dong") -> str:
    client.force_login(tree.admin_a)
    response = client.post(
        reverse("people:account_create"),
        {
            "full_name": "Trần Văn Đông",
            "username": username,
            "organization": tree.a1.pk,
            "role": Role.SECRETARIAT,
        },
    )
    assert response.status_code == 302
    return client.get(response["Location"]).context["password"]


def _signed_in(username: str, password: str) -> Client:
    person = Client()
    response = person.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return person


def test_a_new_account_is_sent_to_the_password_change_page_until_it_chooses_its_own(client, tree):
    password = _create(client, tree)
    person = _signed_in("dong", password)
    for url in (reverse("votesessions:dashboard"), reverse("people:home"), "/campaigns/"):
        response = person.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change")
    page = person.get(reverse("password_change"))
    assert page.status_code == 200
    assert 'id="must-change-password"' in page.content.decode()
    changed = person.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Mật-khẩu-riêng-2027",
            "new_password2": "Mật-khẩu-riêng-2027",
        },
    )
    assert changed.status_code == 302
    assert not Account.objects.get(user__username="dong").must_change_password
    assert person.get(reverse("votesessions:dashboard")).status_code == 200


def test_signing_out_and_the_language_switch_stay_open_with_a_temporary_password(client, tree):
    password = _create(client, tree)
    person = _signed_in("dong", password)
    switched = person.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched["Location"] != reverse("password_change")
    assert person.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in person.session


def test_a_reset_password_must_be_changed_again_at_the_next_sign_in(client, tree):
    account = tree.secretariat_a
    assert not Account.objects.filter(user=account, must_change_password=True).exists()
    client.force_login(tree.admin_a)
    response = client.post(reverse("people:password_reset", args=[account.pk]), follow=True)
    person = _signed_in("thuky_a", response.context["password"])
    response = person.get(reverse("votesessions:dashboard"))
    assert response["Location"] == reverse("password_change")
    # Its creator body is the body of its first role (it was made without an Account row).
    assert Account.objects.get(user=account).organization == tree.a


def test_reloading_the_reset_page_neither_resets_again_nor_shows_the_password_again(client, tree):
    client.force_login(tree.admin_a)
    reset = client.post(reverse("people:password_reset", args=[tree.secretariat_a.pk]))
    assert reset.status_code == 302
    shown_url = reset["Location"]
    first = client.get(shown_url)
    assert first.status_code == 200
    password = first.context["password"]
    assert password in first.content.decode()
    hashed = User.objects.get(pk=tree.secretariat_a.pk).password
    again = client.get(shown_url, follow=True)
    assert password not in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("people:account", args=[tree.secretariat_a.pk])
    assert User.objects.get(pk=tree.secretariat_a.pk).password == hashed
    assert AccountEvent.objects.filter(account=tree.secretariat_a, action="password").count() == 1
    assert password not in str(dict(client.session))


def test_the_shown_password_page_of_an_account_out_of_reach_is_a_404(client, tree):
    _create(client, tree)
    client.force_login(tree.admin_b)
    dong = User.objects.get(username="dong")
    assert client.get(reverse("people:password_shown", args=[dong.pk])).status_code == 404
