"""Vietnamese everywhere by default: a complete catalogue, and no English left on a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ballots import services
from results import services as result_services
from tests.factories import full_choices, open_session, post_form

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def catalogue() -> dict[str, str]:
    """msgid → msgstr from our .po (plural forms: the singular)."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    current = None
    fuzzy = False
    for line in PO.read_text().splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = line[6:].strip('"'), "id"
        elif line.startswith("msgid_plural"):
            current = None
        elif line.startswith("msgstr ") or line.startswith("msgstr[0]"):
            msgstr, current = line.split(" ", 1)[1].strip('"'), "str"
        elif line.startswith('"') and current:
            if current == "id":
                msgid += line.strip('"')
            else:
                msgstr += line.strip('"')
        elif not line.strip():
            if msgid:
                entries[msgid.replace('\\"', '"')] = "" if fuzzy else msgstr
            msgid = msgstr = current = None
            fuzzy = False
    return entries


def test_every_message_has_a_vietnamese_translation():
    missing = [msgid for msgid, msgstr in catalogue().items() if not msgstr]
    assert missing == []


def plurals() -> dict[str, str]:
    """msgid → msgid_plural, for our one-line plural entries."""
    return dict(re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"$', PO.read_text(), re.M))


def test_the_compiled_catalogue_is_up_to_date():
    plural = plurals()

    def compiled(msgid: str) -> str:
        if msgid in plural:  # gettext would find Django's own singular entry instead
            return translation.ngettext(msgid, plural[msgid], 1)
        return translation.gettext(msgid)

    with translation.override("vi"):
        stale = [
            msgid
            for msgid, msgstr in catalogue().items()
            if "%" not in msgid and compiled(msgid) != msgstr.replace('\\"', '"')
        ]
    assert stale == []


def _english_left(html: str, english: list[str]) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html)
    text = " ".join(text.split())
    return [msgid for msgid in english if msgid in text]


@pytest.fixture
def english():
    """Our own English source strings long enough not to collide with Vietnamese text."""
    return [
        m
        for m, s in catalogue().items()
        if len(m) >= 14 and "%" not in m and "{" not in m and m != s
    ]


def test_no_vietnamese_page_shows_our_english(client, cast, english):
    codes = open_session(cast.session, cast.secretariat)
    client.force_login(cast.secretariat)
    pk = cast.session.pk
    urls = [
        reverse("votesessions:dashboard"),
        reverse("votesessions:create"),
        reverse("votesessions:detail", args=[pk]),
        reverse("votesessions:candidates", args=[pk]),
        reverse("votesessions:voters", args=[pk]),
        reverse("votesessions:committee", args=[pk]),
        reverse("votesessions:audit", args=[pk]),
        reverse("ballots:desk", args=[pk]),
        reverse("ballots:turnout", args=[pk]),
        reverse("ballots:tally_import"),
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    voter = client.__class__()
    pages["/b/"] = voter.get("/b/").content.decode()
    pages["ballot"] = post_form(voter, "/b/", {"code": codes[0]}).content.decode()
    pages["review"] = post_form(voter, "/b/review/", {"code": codes[0]}).content.decode()
    pages["refused"] = post_form(voter, "/b/", {"code": codes[9]}).content.decode()
    services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
    )
    services.session_close(actor=cast.secretariat, session=cast.session)
    pages["results"] = client.get(reverse("results:page", args=[pk])).content.decode()
    result_services.result_certify(actor=cast.committee, session=cast.session)
    pages["certified"] = client.get(reverse("results:page", args=[pk])).content.decode()
    pages["overview"] = client.get(reverse("results:overview")).content.decode()
    left = {url: _english_left(html, english) for url, html in pages.items()}
    assert {url: found for url, found in left.items() if found} == {}


def test_the_same_pages_are_english_on_request(client, cast):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(cast.secretariat)
    page = client.get(reverse("votesessions:detail", args=[cast.session.pk])).content.decode()
    assert "Before the session can be ready" in page
    assert "Điều kiện để chốt hội nghị" not in page
