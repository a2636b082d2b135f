"""The secretariat, in real Chromium, records a resignation on a certified rating's results page
and prepares the follow-up vote of confidence from it (issue 13, item 5), then starts next
year's session from the rating (item 4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from results.models import FollowUp
from sessions.models import VotingSession
from tests.results.test_follow_up import _rated

pytestmark = pytest.mark.django_db(transaction=True)


def _shots(tmp_path: Path) -> Path:
    """docs/screenshots/ under `make screenshots` (E2E_SCREENSHOTS=1), else a temporary folder."""
    if os.environ.get("E2E_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    return tmp_path


def test_a_resignation_then_the_follow_up_vote_of_confidence(
    live_server, browser, cast_tx, tmp_path
):
    cast = cast_tx
    cast.org.kind = "state"
    cast.org.save()
    origin = _rated(cast, "nq96", [5, 5, 2])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast.secretariat.username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    page.goto(f"{live_server.url}/sessions/{origin.pk}/results/")
    panel = page.locator("#follow-up")
    assert "Chuẩn bị bỏ phiếu tín nhiệm (2 người)" in panel.inner_text()
    second = origin.candidates.get(order=2)
    page.fill(f"#resigned-{second.pk}", "2025-11-25")
    with page.expect_navigation():
        page.click(f"#banded-{second.pk} button")
    assert "Xin từ chức ngày 25/11/2025" in page.locator("#follow-up").inner_text()
    page.locator("#follow-up").screenshot(path=str(_shots(tmp_path) / "follow-up-panel.png"))
    with page.expect_navigation():
        page.click("#follow-up button:has-text('Chuẩn bị bỏ phiếu tín nhiệm')")
    created = FollowUp.objects.get(origin=origin).session
    assert page.url.endswith(f"/sessions/{created.pk}/")
    assert "Người Thứ 1" in page.locator("main").inner_text()
    assert "Người Thứ 2" not in page.locator("main").inner_text()
    page.screenshot(path=str(_shots(tmp_path) / "follow-up-session.png"), full_page=True)

    page.goto(f"{live_server.url}/sessions/{origin.pk}/")
    with page.expect_navigation():
        page.click("text=Tạo hội nghị mới từ hội nghị này")
    page.fill("#id_title", "Lấy phiếu tín nhiệm năm 2026")
    page.fill("#id_date", "2026-11-20")
    with page.expect_navigation():
        page.click("main [type=submit]")
    reused = VotingSession.objects.get(title="Lấy phiếu tín nhiệm năm 2026")
    assert reused.is_draft and reused.candidates.count() == 3 and reused.voters.count() == 9
    context.close()
