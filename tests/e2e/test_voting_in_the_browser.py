"""A voter on a small phone, end to end, in real Chromium."""

from __future__ import annotations

import pytest

from ballots import codes
from ballots.models import Ballot, Mark
from tests.factories import open_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_voter_scans_votes_and_leaves_nothing_behind_on_the_phone(live_server, phone, cast_tx):
    session = cast_tx.session
    plain = open_session(session, cast_tx.secretariat, codes=4, activate=2)
    first, second, third = session.candidates.order_by("order")

    phone.goto(f"{live_server.url}/b/#{codes.display(plain[0])}")
    assert phone.input_value("#id_code") == codes.display(plain[0])
    assert "#" not in phone.url  # the code left the address bar
    phone.click("main button[type=submit]")

    phone.get_by_role("group", name=f"1. {first.official.full_name}").get_by_text(
        "Tín nhiệm cao"
    ).click()
    phone.get_by_role("group", name=f"2. {second.official.full_name}").get_by_text(
        "Tín nhiệm thấp"
    ).click()
    phone.click("text=Xem lại lựa chọn")
    assert "Có 1 dòng để trống" in phone.content()

    phone.click("button:has-text('Bỏ phiếu')")
    assert "Phiếu của bạn đã được ghi nhận" in phone.content()
    assert dict(Mark.objects.values_list("candidate_id", "level")) == {
        first.pk: "high",
        second.pk: "low",
        third.pk: "invalid",
    }

    # The back button shows nothing of the ballot just cast.
    try:
        phone.go_back()
        shown = phone.content()
    except Exception:  # noqa: BLE001 - Chromium refuses to re-show a no-store POST page
        shown = ""
    assert first.official.full_name not in shown

    # The same code again, on the same device: already recorded, and still one ballot.
    again = phone.context.new_page()
    again.goto(f"{live_server.url}/b/")
    again.fill("#id_code", plain[0])
    again.click("main button[type=submit]")
    assert "đã được ghi nhận" in again.content()
    assert Ballot.objects.count() == 1


def test_the_ballot_can_be_completed_without_javascript(live_server, browser, cast_tx):
    plain = open_session(cast_tx.session, cast_tx.secretariat, codes=2, activate=1)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/b/")
    page.fill("#id_code", plain[0])
    page.click("main button[type=submit]")
    for group in page.locator("fieldset.candidate").all():
        group.get_by_text("Tín nhiệm", exact=True).click()
    page.click("text=Xem lại lựa chọn")
    page.click("button:has-text('Bỏ phiếu')")
    assert "Phiếu của bạn đã được ghi nhận" in page.content()
    assert set(Mark.objects.values_list("level", flat=True)) == {"medium"}
    context.close()
