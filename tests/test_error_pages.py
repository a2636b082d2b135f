"""Error pages and the language switch: in the reader's layout, and never a dead end."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse


def _next(html: str) -> str:
    return re.search(r'name="next" type="hidden" value="([^"]*)"', html).group(1)


def test_the_language_switch_on_a_page_answered_to_a_post_returns_to_a_page_that_answers_get(
    client, cast
):
    client.force_login(cast.secretariat)
    response = client.post(reverse("votesessions:audit_check", args=[cast.session.pk]))
    back = _next(response.content.decode())
    assert back == reverse("votesessions:audit", args=[cast.session.pk])
    switched = client.post(reverse("set_language"), {"language": "en", "next": back})
    assert switched.status_code == 302 and switched["Location"] == back
    assert client.get(back).status_code == 200


def test_the_language_switch_on_a_page_answered_to_a_get_returns_to_the_same_page(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("votesessions:voters", args=[cast.session.pk]) + "?q=an"
    assert _next(client.get(url).content.decode()) == url


def test_a_signed_in_member_sees_a_missing_page_in_the_staff_layout(client, cast):
    client.force_login(cast.secretariat)
    page = client.get("/sessions/999999/").content.decode()
    assert "Không tìm thấy trang" in page
    assert 'class="navbar-brand' in page and "Bỏ phiếu kín" not in page  # base.html, not public


def test_a_voter_sees_a_missing_page_in_the_public_layout(client, db):
    response = client.get("/b/nothing-here/")
    assert response.status_code == 404
    assert "Bỏ phiếu kín" in response.content.decode()


def test_an_expired_staff_form_leads_home_and_an_expired_ballot_to_the_code_page(cast):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(cast.secretariat)
    page = staff.post(reverse("votesessions:ready", args=[cast.session.pk])).content.decode()
    assert 'class="btn btn-primary" href="/"' in page and reverse("ballots:start") not in page
    voter = Client(enforce_csrf_checks=True)
    page = voter.post(reverse("ballots:cast"), {"code": "x"}).content.decode()
    assert f'href="{reverse("ballots:start")}"' in page


def test_reloading_a_post_only_staff_action_shows_a_vietnamese_page_in_the_staff_layout(
    client, cast
):
    client.force_login(cast.secretariat)
    response = client.get(reverse("ballots:close", args=[cast.session.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "phải thực hiện bằng nút bấm" in page and "đã được thực hiện" in page
    assert 'class="navbar-brand' in page and "Bỏ phiếu kín" not in page  # base.html, not public
    assert f'href="/sessions/{cast.session.pk}/"' in page


def test_a_voter_opening_a_post_only_address_sees_the_405_page_in_the_public_layout(client, db):
    response = client.get(reverse("ballots:cast"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "Bỏ phiếu kín" in page and "Mở địa chỉ này không làm thay đổi gì" in page
    assert f'href="{reverse("ballots:start")}"' in page
