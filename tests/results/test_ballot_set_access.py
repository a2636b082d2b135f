"""The per-ballot set is for the counting committee only: with few people on the ballot every
pattern can be unique, so anybody else holding it could check a vote-buyer's agreed pattern."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ballots import services
from results import services as result_services
from sessions.models import VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, open_session

WHO = [
    ("secretariat", 404),
    ("committee", 200),
    ("leader", 404),
    ("parent_leader", 404),
    ("other_secretariat", 404),
    ("outsider", 404),
    ("anonymous", 302),  # to the sign-in page, as for any staff URL, existing or not
    ("superuser", 200),
]


@built_once(params=["internal", "public"])
def published(scope: str):
    """The cast's session voted, certified and published with `scope`."""
    cast = build_cast()
    VotingSession.objects.filter(pk=cast.session.pk).update(scope=scope)
    codes = open_session(cast.session, cast.secretariat, codes=3, activate=3)
    candidates = list(cast.session.candidates.order_by("order"))
    for code, level in zip(codes, ["high", "medium", "low"], strict=True):
        services.ballot_cast(raw=code, choices={c.pk: level for c in candidates})
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    result_services.result_certify(actor=cast.committee, session=cast.session)
    result_services.result_publish(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


@pytest.mark.parametrize(("who", "status"), WHO)
def test_only_the_counting_committee_and_support_staff_download_the_ballot_set(
    client, published, who, status
):
    session = published.session
    if who != "anonymous":
        client.force_login(getattr(published, who))
    response = client.get(reverse("results:ballot_set", args=[session.pk]))
    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert response.content.startswith(b"ballot,1,2,3")


def test_a_forbidden_ballot_set_looks_the_same_as_a_missing_one(client, published):
    session = published.session
    client.force_login(published.leader)
    forbidden = client.get(reverse("results:ballot_set", args=[session.pk]))
    missing = client.get(reverse("results:ballot_set", args=[session.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert _page(forbidden.content) == _page(missing.content)
    client.logout()
    anonymous = client.get(reverse("results:ballot_set", args=[session.pk]))
    missing = client.get(reverse("results:ballot_set", args=[session.pk + 1000]))
    assert anonymous.status_code == missing.status_code == 302


def _page(content: bytes) -> bytes:
    """The page without its CSRF token and the language form's return address."""
    return re.sub(
        rb'name="(csrfmiddlewaretoken|next)" (type="hidden" )?value="[^"]*"',
        b"",
        content,
    )


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("secretariat", False),
        ("committee", True),
        ("leader", False),
        ("parent_leader", False),
        ("superuser", True),
    ],
)
@pytest.mark.parametrize("published", ["public"], indirect=True)
def test_the_ballot_set_link_is_shown_only_to_those_who_may_download_it(
    client, published, who, shown
):
    session = published.session
    client.force_login(getattr(published, who))
    page = client.get(reverse("results:page", args=[session.pk]))
    assert page.status_code == 200
    assert (reverse("results:ballot_set", args=[session.pk]) in page.content.decode()) is shown


@pytest.mark.parametrize("published", ["public"], indirect=True)
def test_the_public_page_has_no_ballot_set_link(client, published):
    session = published.session
    page = client.get(reverse("results:public_page", args=[session.public_id])).content.decode()
    assert reverse("results:ballot_set", args=[session.pk]) not in page
