"""Voter-facing pages pass axe-core with no serious or critical violation; the ballot works by
keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ballots import codes as code_utils
from ballots import services
from results import services as result_services
from sessions.models import VotingSession
from tests.factories import full_choices, open_session

pytestmark = pytest.mark.django_db(transaction=True)

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


def _serious(page, axe_source):
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def voting(cast_tx):
    cast_tx.codes = open_session(cast_tx.session, cast_tx.secretariat, codes=6, activate=4)
    return cast_tx


def test_the_voter_pages_have_no_serious_accessibility_violation(
    live_server, browser, voting, axe_source
):
    # bypass_csp lets the test inject axe; the pages themselves run no inline script.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    base = live_server.url
    checked = {}
    page.goto(f"{base}/b/")
    checked["code entry"] = _serious(page, axe_source)
    page.fill("#id_code", voting.codes[0])
    page.click("main button[type=submit]")
    checked["ballot"] = _serious(page, axe_source)
    page.locator("fieldset.candidate label.level").first.click()
    page.click("main button[type=submit]")
    checked["review"] = _serious(page, axe_source)
    page.click("main form[action$='/cast/'] button")
    checked["recorded"] = _serious(page, axe_source)
    page.goto(f"{base}/b/")
    page.fill("#id_code", voting.codes[5])
    page.click("main button[type=submit]")
    checked["refused"] = _serious(page, axe_source)
    assert checked == {name: [] for name in checked}


def test_the_public_results_have_no_serious_accessibility_violation(
    live_server, browser, voting, axe_source
):
    session = voting.session
    services.ballot_cast(
        raw=voting.codes[0], choices={int(k[1:]): v for k, v in full_choices(session).items()}
    )
    services.session_close(actor=voting.secretariat, session=session)
    VotingSession.objects.filter(pk=session.pk).update(scope="public")
    session.refresh_from_db()
    result_services.result_certify(actor=voting.committee, session=session)
    result_services.result_publish(actor=voting.secretariat, session=session)
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/public/")
    assert _serious(page, axe_source) == []
    page.goto(f"{live_server.url}/public/{session.public_id}/")
    assert _serious(page, axe_source) == []


def test_the_ballot_can_be_completed_with_the_keyboard_alone(live_server, browser, voting):
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}/b/")
    page.focus("#id_code")
    page.keyboard.type(code_utils.display(voting.codes[1]))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Tab into each group, Space picks the focused level; the focus ring is visible.
    for _ in range(3):
        while page.evaluate("document.activeElement.type") != "radio":
            page.keyboard.press("Tab")
        outline = page.evaluate(
            "getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
        )
        assert outline != "none"
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # On the review page the first button is "Cast my ballot".
    while page.evaluate("document.activeElement.closest('form[action$=\"/cast/\"]')") is None:
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Phiếu của bạn đã được ghi nhận" in page.content()
    from ballots.models import Mark

    assert Mark.objects.count() == 3
    assert reverse("ballots:done") in page.url
