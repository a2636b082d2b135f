"""Text from the browser: NUL refused before it reaches PostgreSQL, names compared in NFC
(tinnhiem.middleware.InputTextMiddleware). Run on SQLite and PostgreSQL alike."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sessions.imports import VoterRow
from sessions.models import AuditEvent, Voter
from sessions.services import voters_import
from tests.built_once import built_once
from tests.factories import build_cast, make_user, open_session

NAME = "Nguyễn Thị Ánh Tuyết"
NFC = unicodedata.normalize("NFC", NAME)
NFD = unicodedata.normalize("NFD", NAME)


@built_once
def desk_open():
    cast = build_cast()
    open_session(cast.session, cast.secretariat)
    return cast


def _signed_in(cast):
    client = Client()
    client.force_login(cast.secretariat)
    return client


@pytest.mark.parametrize("page", ["votesessions:voters", "ballots:desk"])
@pytest.mark.parametrize("query", ["?q=%00", "?q=Nguy%00n", "?%00=1"])
def test_a_nul_in_a_search_is_a_400_not_a_500(desk_open, page, query):
    response = _signed_in(desk_open).get(reverse(page, args=[desk_open.session.pk]) + query)
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"


def test_a_nul_in_a_public_address_is_a_400(client):
    assert client.get("/public/ab%00cd/").status_code == 400


def test_a_nul_in_a_cookie_is_a_400_before_any_session_is_looked_up(client):
    client.cookies["sessionid"] = "abcdefghij\x00k"
    assert client.get(reverse("login")).status_code == 400


def test_a_nul_in_a_header_is_a_400(client):
    assert client.get(reverse("login"), headers={"user-agent": "x\x00y"}).status_code == 400


def test_a_nul_in_a_form_field_stores_nothing(desk_open):
    session = desk_open.session
    voters, events = Voter.objects.count(), AuditEvent.objects.count()
    client = _signed_in(desk_open)
    url = reverse("votesessions:voters", args=[session.pk])
    response = client.post(url, {"full_name": "Lê\x00Văn Ba", "unit": ""})
    assert response.status_code == 400
    assert (Voter.objects.count(), AuditEvent.objects.count()) == (voters, events)


@built_once
def draft():
    return build_cast()


def test_the_same_name_typed_composed_and_decomposed_is_one_voter(draft):
    session = draft.session
    client = _signed_in(draft)
    url = reverse("votesessions:voters", args=[session.pk])
    before = session.voters.count()
    client.post(url, {"full_name": NFC, "unit": "Xã A"})
    response = client.post(url, {"full_name": NFD, "unit": "Xã A"})
    assert session.voters.count() == before + 1  # the summoned count, the ⅔ quorum's base
    assert NFC in response.content.decode()  # "… is already on the list"
    assert list(session.voters.filter(full_name=NFC).values_list("full_name", flat=True)) == [NFC]


def test_a_decomposed_search_finds_a_composed_name(draft):
    session = draft.session
    name = session.voters.first().full_name
    assert name == unicodedata.normalize("NFC", name) and not name.isascii()
    query = unicodedata.normalize("NFD", name)
    response = _signed_in(draft).get(
        reverse("votesessions:voters", args=[session.pk]), {"q": query}
    )
    assert [voter.full_name for voter in response.context["voters"]] == [name]


def test_a_password_is_checked_as_typed_not_normalized(db):
    user = make_user("thuky_nfd2")
    user.set_password(NFD)
    user.save()
    client = Client()
    signed_in = client.post(reverse("login"), {"username": "thuky_nfd2", "password": NFD})
    assert signed_in.status_code == 302


def test_an_import_finds_a_name_stored_decomposed_before_input_was_normalized(draft):
    session = draft.session
    Voter.objects.create(session=session, number=99, full_name=NFD, unit="Xã A")
    before = session.voters.count()
    with pytest.raises(ValidationError):
        voters_import(
            actor=draft.secretariat,
            session=session,
            rows=[VoterRow(line=2, full_name=NFC, unit="Xã A")],
            replace=False,
        )
    assert session.voters.count() == before


def test_a_control_character_pasted_into_a_name_is_stored_as_a_space(draft):
    session = draft.session
    client = _signed_in(draft)
    client.post(reverse("votesessions:voters", args=[session.pk]), {"full_name": "Lê\x1bVăn\x85Ba"})
    assert session.voters.filter(full_name="Lê Văn Ba").exists()
