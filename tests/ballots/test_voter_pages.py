"""The voter's start page, kept per language (ballots/voter_pages.py): each voter still gets a
CSRF token of their own, in their language, and nothing of another request."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ballots import codes
from tests.factories import build_cast, open_session, post_form

pytestmark = pytest.mark.django_db


def _token(page: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1, tokens  # the code form and the language switch carry the same
    return tokens.pop()


def test_each_voter_gets_a_csrf_token_that_passes_with_their_own_cookie():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(reverse("ballots:start")).content.decode()
    second_page = second.get(reverse("ballots:start")).content.decode()
    assert "<!--tinnhiem:" not in first_page + second_page
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    for client, page, code in ((first, first_page, plain[0]), (second, second_page, plain[1])):
        sent = {"code": codes.display(code), "csrfmiddlewaretoken": _token(page)}
        assert post_form(client, reverse("ballots:start"), sent).status_code == 200
    # A token from someone else's page is refused with this client's cookie.
    stolen = {"code": codes.display(plain[2]), "csrfmiddlewaretoken": "x" * 64}
    assert post_form(first, reverse("ballots:start"), stolen).status_code == 403


def test_the_kept_page_is_in_each_voters_language():
    vietnamese = Client().get(reverse("ballots:start")).content.decode()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = english.get(reverse("ballots:start")).content.decode()
    assert 'lang="vi"' in vietnamese and "Nhập mã bỏ phiếu" in vietnamese
    assert 'lang="en"' in in_english and "Enter your voter code" in in_english
    assert "Enter your voter code" not in vietnamese


def test_a_query_string_of_one_request_is_not_kept_for_the_next():
    Client().get(reverse("ballots:start") + "?from=poster-42")
    page = Client().get(reverse("ballots:start")).content.decode()
    assert "poster-42" not in page
    assert 'name="next" type="hidden" value="/b/"' in page


def test_a_code_sent_back_with_an_error_is_shown_with_its_error_not_kept():
    client = Client()
    response = post_form(client, reverse("ballots:start"), {"code": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert 'role="alert"' not in Client().get(reverse("ballots:start")).content.decode()


def test_a_scanned_link_around_the_code_comes_back_escaped_on_the_kept_ballot_page():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    client = Client()
    post_form(client, reverse("ballots:start"), {"code": codes.display(plain[1])})  # kept now
    scanned = f'http://x/"><script>alert(1)</script>#{codes.display(plain[0])}'
    page = post_form(client, reverse("ballots:start"), {"code": scanned}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert codes.display(plain[1]) not in page  # nothing of the voter before
    assert "<!--tinnhiem:" not in page


def test_stand_ins_typed_into_a_title_a_body_name_or_a_code_stay_text():
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    type(cast.session).objects.filter(pk=cast.session.pk).update(
        title="Hội nghị <!--tinnhiem:code-->"
    )
    type(cast.org).objects.filter(pk=cast.org.pk).update(name="Hội <!--tinnhiem:voucher-->")
    typed = f"<!--tinnhiem:body-->#{codes.display(plain[0])}"
    page = post_form(Client(), reverse("ballots:start"), {"code": typed}).content.decode()
    assert "<p>Hội nghị &lt;!--tinnhiem:code--&gt;</p>" in page
    assert "Hội &lt;!--tinnhiem:voucher--&gt;</p>" in page
    assert 'name="code" value="&lt;!--tinnhiem:body--&gt;#' in page
    assert "<!--tinnhiem:" not in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_ballot_pages_language_switch_returns_to_the_code_form_not_the_staff_sign_in(
    language,
):
    cast = build_cast()
    plain = open_session(cast.session, cast.secretariat)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for code in plain[:2]:  # the kept page too
        page = post_form(client, reverse("ballots:start"), {"code": code}).content.decode()
        assert 'name="next" type="hidden" value="/b/"' in page
        assert 'name="next" type="hidden" value="/"' not in page
    review = post_form(client, reverse("ballots:review"), {"code": plain[0]}).content.decode()
    assert 'name="next" type="hidden" value="/b/"' in review
