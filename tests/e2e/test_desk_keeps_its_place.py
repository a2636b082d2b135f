"""The check-in desk with a barcode/QR scanner, in real Chromium (issue 16, item 8).

A scanner types the slip's code and presses Enter into whatever has the focus; an officer
checking people in from a long list must not be thrown back to its top after every click.
"""

from __future__ import annotations

import pytest

from ballots import services
from ballots.models import VoterCode
from sessions import services as session_services
from tests.factories import fill_session, make_session

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }"""


def _in_view(page, selector) -> bool:
    return page.evaluate(IN_VIEW, selector)


def test_after_a_check_in_or_an_activation_the_desk_keeps_its_place_and_the_code_field_has_the_focus(  # noqa: E501
    live_server, browser, cast_tx, tmp_path
):
    session = fill_session(
        make_session(cast_tx.org, cast_tx.secretariat), cast_tx.secretariat, voters=60
    )
    session_services.session_mark_ready(actor=cast_tx.secretariat, session=session)
    codes = services.codes_generate(actor=cast_tx.secretariat, session=session, count=3)
    voter = session.voters.order_by("number")[44]
    # Someone already checked in: with the person checked in below, two slips may go out.
    services.voter_check_in(voter=session.voters.order_by("number")[0], present=True)

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "kiemphieu")
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/sessions/{session.pk}/desk/")
    assert _focused(page) == "q"  # a fresh desk starts with the search

    # Check in the 45th person of the full list: the page comes back at that row.
    button = f"#v{voter.pk} button"
    page.locator(button).scroll_into_view_if_needed()
    with page.expect_navigation():
        page.click(button)
    page.wait_for_load_state("load")
    voter.refresh_from_db()
    assert voter.present
    # Bootstrap scrolls smoothly: wait for the row to arrive, far from the top of the page.
    page.wait_for_function(IN_VIEW, arg=f"#v{voter.pk}", timeout=5000)
    assert page.evaluate("window.scrollY") > 1500
    assert _in_view(page, "#id_code")  # the code field stays beside the list
    assert _focused(page) == "id_code"
    page.screenshot(path=str(tmp_path / "desk-after-check-in.png"))

    # The scanner types the slip and presses Enter: activated, and ready for the next one.
    page.keyboard.type(codes[0])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert VoterCode.objects.filter(session=session, state="active").count() == 1
    assert _focused(page) == "id_code"
    page.keyboard.type(codes[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert VoterCode.objects.filter(session=session, state="active").count() == 2
    assert _in_view(page, ".alert-success")  # "Đã kích hoạt phiếu mã", at the top beside the field
    assert _focused(page) == "id_code"
    page.screenshot(path=str(tmp_path / "desk-after-activation.png"))
    context.close()
