"""Texts and links by the session's mode and the user's role (issue 16, item 10): a paper session
speaks of paper ballots, not codes, and nobody is shown a link that answers 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ballots import services
from sessions import services as session_services
from tests.factories import fill_session, make_session

CODE_TEXTS = ("không mã nào còn dùng được", "Mọi mã đều hết hiệu lực", "hủy mã đã in", "phiếu mã")


def _session(cast, mode, until):
    session = fill_session(make_session(cast.org, cast.secretariat, mode=mode), cast.secretariat)
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    if until in ("open", "closed"):
        if mode == "electronic":
            services.codes_generate(actor=cast.secretariat, session=session, count=5)
        for voter in session.voters.all():
            services.voter_check_in(voter=voter, present=True)
        services.session_open(actor=cast.secretariat, session=session)
    if until == "closed":
        services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("mode", ["paper_ballots", "paper_tally"])
@pytest.mark.parametrize("until", ["ready", "open"])
def test_a_paper_session_never_speaks_of_voter_codes(client, cast, mode, until):
    session = _session(cast, mode, until)
    client.force_login(cast.secretariat)
    page = client.get(reverse("votesessions:detail", args=[session.pk])).content.decode()
    assert not [text for text in CODE_TEXTS if text in page]
    if until == "ready":
        assert "Trở lại dự thảo (phải in lại phiếu)" in page
    else:
        assert "Kết thúc bỏ phiếu? Sau đó Ban kiểm phiếu kiểm phiếu giấy." in page


def test_closing_a_paper_session_says_the_committee_counts_and_asks_nothing_about_no_ballots(
    client, cast
):
    session = _session(cast, "paper_ballots", "open")
    client.force_login(cast.secretariat)
    response = client.post(reverse("ballots:close", args=[session.pk]), follow=True)
    session.refresh_from_db()
    assert session.is_closed
    page = response.content.decode()
    assert "Ban kiểm phiếu tiến hành kiểm phiếu giấy" in page
    assert not [text for text in CODE_TEXTS if text in page]


def test_an_electronic_session_still_says_codes_die_at_close(client, cast):
    session = _session(cast, "electronic", "open")
    client.force_login(cast.secretariat)
    page = client.get(reverse("votesessions:detail", args=[session.pk])).content.decode()
    assert "Sau đó không mã nào còn dùng được" in page


@pytest.mark.parametrize("mode", ["paper_ballots", "paper_tally", "electronic"])
@pytest.mark.parametrize("who", ["secretariat", "committee", "leader"])
def test_every_link_a_role_is_shown_on_a_counted_session_opens(client, cast, mode, who):
    session = _session(cast, mode, "closed")
    client.force_login(getattr(cast, who))
    hrefs = set()
    for url in (
        reverse("votesessions:detail", args=[session.pk]),
        reverse("votesessions:audit", args=[session.pk]),
    ):
        page = client.get(url).content.decode()
        hrefs |= set(re.findall(rf'href="(/sessions/{session.pk}/[^"#]*)"', page))
    assert hrefs
    broken = {href: client.get(href).status_code for href in hrefs}
    assert {href: status for href, status in broken.items() if status >= 400} == {}
    entry = reverse(
        "ballots:paper" if mode == "paper_ballots" else "ballots:tally", args=[session.pk]
    )
    assert (entry in hrefs) == (who == "committee" and mode != "electronic")


def test_the_codes_page_of_a_paper_session_is_not_found(client, cast):
    from sessions.models import VotingSession

    VotingSession.objects.filter(pk=cast.session.pk).update(mode="paper_ballots")
    client.force_login(cast.secretariat)
    assert client.get(reverse("ballots:codes", args=[cast.session.pk])).status_code == 404
