"""Who reaches the pages of bodies and accounts: an administrator manages its body and the
bodies below it; anybody else gets the 404 of a missing page (anonymous: the sign-in page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people import access
from sessions.access import Need, organization_ids_for
from tests.factories import make_session

WHO = ["admin_province", "admin_a", "admin_a1", "admin_b", "secretariat_a", "anonymous"]
# Pages about body A and an account of A: who gets the page (200), who the 404.
SEES_A = {"admin_province", "admin_a"}


def _pages(tree):
    account = tree.secretariat_a
    return [
        reverse("people:body", args=[tree.a.pk]),
        reverse("people:body_edit", args=[tree.a.pk]),
        reverse("people:body_create", args=[tree.a.pk]),
        reverse("people:account", args=[account.pk]),
    ]


@pytest.mark.parametrize("who", WHO)
def test_the_pages_of_a_body_and_its_accounts_open_only_for_administrators_at_or_above_it(
    client, tree, who
):
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    for url in _pages(tree):
        status = client.get(url).status_code
        if who == "anonymous":
            assert status == 302, url
        else:
            assert status == (200 if who in SEES_A else 404), (who, url)


@pytest.mark.parametrize("who", WHO)
def test_the_bodies_and_accounts_lists_open_for_every_administrator_and_nobody_else(
    client, tree, who
):
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    for url in (
        reverse("people:home"),
        reverse("people:accounts"),
        reverse("people:account_create"),
    ):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response.url
        elif who == "secretariat_a":  # the registry is the secretariat's only people page
            expected = 302 if url == reverse("people:home") else 404
            assert response.status_code == expected, url
        else:
            assert response.status_code == 200, (who, url)


def test_an_administrator_sees_its_subtree_and_nothing_above_or_beside_it(tree):
    assert access.administered_ids(tree.admin_province) == {
        tree.province.pk,
        tree.a.pk,
        tree.a1.pk,
        tree.b.pk,
    }
    assert access.administered_ids(tree.admin_a) == {tree.a.pk, tree.a1.pk}
    assert access.administered_ids(tree.admin_a1) == {tree.a1.pk}
    assert access.administered_ids(tree.secretariat_a) == set()


def test_the_accounts_list_shows_only_accounts_of_the_subtree(client, tree):
    client.force_login(tree.admin_a)
    page = client.get(reverse("people:accounts")).content.decode()
    assert "thuky_a" in page and "qt_a1" in page
    assert "qt_b" not in page and "qt_tinh" not in page


def test_the_administrator_role_alone_reads_no_session(tree):
    make_session(tree.a, tree.secretariat_a)
    assert organization_ids_for(tree.admin_a, Need.READ) == set()
    assert organization_ids_for(tree.secretariat_a, Need.READ) == {tree.a.pk}


def test_the_staff_layout_links_to_bodies_and_accounts_only_for_administrators(client, tree):
    url = reverse("people:home")
    client.force_login(tree.admin_a)
    assert f'href="{url}"' in client.get(reverse("votesessions:dashboard")).content.decode()
    client.force_login(tree.secretariat_a)
    assert f'href="{url}"' not in client.get(reverse("votesessions:dashboard")).content.decode()
