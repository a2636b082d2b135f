"""The whole life of a session, as people use it, in real Chromium.

The secretariat prepares a session in the browser, prints the slips, the desk checks people in
and activates slips, thirty voters vote on phones, the projector shows turnout, voting closes,
the committee certifies, the minutes download, a leader reads the results; then a paper tally
goes from import to a public page. With E2E_SCREENSHOTS=1 (`make screenshots`) the pictures
land in docs/screenshots/ for the README.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ballots.models import Ballot
from sessions.models import VotingSession

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path):
    """docs/screenshots/ with E2E_SCREENSHOTS=1 (`make screenshots`), else a scratch folder."""
    return DOCS_SHOTS if os.environ.get("E2E_SCREENSHOTS") == "1" else tmp_path


CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}")


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def _sign_in(context, base, username):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    _go(page, "main button[type=submit]")
    return page


def _go(page, selector):
    """Click something that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def _submit(page):
    _go(page, "#submit-id-submit")


def test_a_session_from_preparation_to_published_minutes(
    live_server, browser, cast_tx, tmp_path, shots
):
    base = live_server.url
    desk_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    staff = _sign_in(desk_context, base, "thuky")
    staff.screenshot(path=str(shots / "dashboard.png"))

    # The secretariat creates the session.
    staff.goto(f"{base}/sessions/new/")
    staff.select_option("#id_organization", str(cast_tx.org.pk))
    staff.fill("#id_title", "Hội nghị lấy phiếu tín nhiệm lãnh đạo Hội năm 2026")
    staff.fill("#id_subject", "Chủ tịch, các Phó Chủ tịch Hội")
    staff.fill("#id_date", "2026-12-14")
    staff.fill("#id_start_time", "14:00")
    staff.fill("#id_place", "Hội trường tỉnh")
    staff.select_option("#id_regime", "qd96")
    staff.select_option("#id_procedure", "rating")
    staff.select_option("#id_mode", "electronic")
    _submit(staff)
    session = VotingSession.objects.get(title="Hội nghị lấy phiếu tín nhiệm lãnh đạo Hội năm 2026")
    assert session.scope == "internal"

    # Three people to rate.
    names = ["Hoàng Văn Thành", "Nông Đức Hải", "Triệu Thị Mận"]
    for name, position in zip(
        names, ["Chủ tịch Hội", "Phó Chủ tịch Thường trực", "Phó Chủ tịch"], strict=True
    ):
        staff.fill("#id_full_name", name)
        staff.fill("#id_positions", position)
        _submit(staff)
    assert [c.official.full_name for c in session.candidates.order_by("order")] == names

    # Forty summoned voters from a CSV file.
    voters = tmp_path / "ds.csv"
    voters.write_text(
        "STT,Họ và tên,Chức vụ, đơn vị\n"
        + "".join(f"{i},Đại biểu Số {i},Ủy viên BCH\n" for i in range(1, 41)),
        encoding="utf-8-sig",
    )
    staff.goto(f"{base}/sessions/{session.pk}/voters/import/")
    staff.set_input_files("#id_file", str(voters))
    _submit(staff)
    _go(staff, "main form button[type=submit]")  # "Import 40 voters"
    assert session.voters.count() == 40

    # The counting committee; the head signs in as "kiemphieu" and will certify.
    staff.goto(f"{base}/sessions/{session.pk}/committee/")
    for name, role, account in (
        ("Ma Văn Kiên", "head", "kiemphieu"),
        ("Lục Thị Hoa", "member", ""),
    ):
        staff.fill("#id_full_name", name)
        staff.select_option("#id_role", role)
        if account:
            staff.select_option("#id_user", label=account)
        _submit(staff)
    staff.goto(f"{base}/sessions/{session.pk}/")
    staff.screenshot(path=str(shots / "session-overview.png"), full_page=True)
    _go(staff, "form[action$='/ready/'] button")
    session.refresh_from_db()
    assert session.status == "ready" and len(session.voter_list_sha256) == 64

    # Print the slips.
    staff.goto(f"{base}/sessions/{session.pk}/codes/")
    staff.fill("#id_count", "35")
    staff.fill("#id_base_url", base)
    with staff.expect_download() as download:
        staff.click("#submit-id-submit")
    codes = CODE.findall(_pdf_text(Path(download.value.path()).read_bytes()))
    assert len(set(codes)) == 35

    # The desk checks thirty people in and hands over thirty slips.
    staff.goto(f"{base}/sessions/{session.pk}/desk/")
    for _ in range(30):
        with staff.expect_navigation():
            staff.locator("form[action$='/check-in/'] button.btn-primary").first.click()
    for code in codes[:30]:
        staff.fill("#id_code", code)
        _go(staff, "main form button:has-text('Kích hoạt')")
    staff.screenshot(path=str(shots / "desk.png"))
    staff.goto(f"{base}/sessions/{session.pk}/")
    _go(staff, "form[action$='/open/'] button")
    session.refresh_from_db()
    assert session.status == "open"

    # Thirty voters on phones; every fifth leaves the last line blank.
    phone_context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    for i, code in enumerate(codes[:30]):
        phone = phone_context.new_page()
        phone.goto(f"{base}/b/#{code}")
        _go(phone, "main button[type=submit]")
        groups = phone.locator("fieldset.candidate")
        groups.nth(0).locator("label.level").nth(0).click()
        groups.nth(1).locator("label.level").nth(i % 3).click()
        if i % 5:
            groups.nth(2).locator("label.level").nth(2).click()
        if i == 0:
            phone.screenshot(path=str(shots / "ballot-phone.png"))
        _go(phone, "main button[type=submit]")  # review
        if i == 5:
            phone.screenshot(path=str(shots / "review-phone.png"))
        _go(phone, "main form[action$='/cast/'] button")
        assert "Phiếu của bạn đã được ghi nhận" in phone.content()
        phone.close()
    assert Ballot.objects.filter(session=session).count() == 30

    projector = desk_context.new_page()
    projector.goto(f"{base}/sessions/{session.pk}/turnout/")
    assert projector.locator(".turnout-figure").nth(2).inner_text().strip() == "30"
    assert "%" not in projector.content()
    projector.screenshot(path=str(shots / "turnout.png"))

    staff.goto(f"{base}/sessions/{session.pk}/")
    _go(staff, "form[action$='/close/'] button")
    session.refresh_from_db()
    assert session.status == "closed"

    # The committee certifies and publishes; the minutes download and read right.
    committee_context = browser.new_context(viewport={"width": 1280, "height": 900})
    committee = _sign_in(committee_context, base, "kiemphieu")
    committee.goto(f"{base}/sessions/{session.pk}/results/")
    _go(committee, "form[action$='/certify/'] button")
    session.refresh_from_db()
    assert session.status == "certified"
    minutes = committee.request.get(f"{base}/sessions/{session.pk}/results/minutes.pdf")
    text = _pdf_text(minutes.body())
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    for name in names:
        assert name in text
    assert "Số phiếu thu về: 30" in text
    _go(committee, "form[action$='/publish/'] button")
    session.refresh_from_db()
    assert session.status == "published"
    committee.screenshot(path=str(shots / "results.png"), full_page=True)

    # The same results on a 1366 px laptop, and the dashboard on a 360 px phone.
    committee.set_viewport_size({"width": 1366, "height": 768})
    committee.reload()
    assert "Triệu Thị Mận" in committee.content()
    committee.screenshot(path=str(shots / "results-1366.png"), full_page=True)
    pocket = _sign_in(
        browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True),
        base,
        "thuky",
    )
    assert session.title in pocket.content()
    pocket.screenshot(path=str(shots / "dashboard-360.png"), full_page=True)

    # A leader above reads the internal results; the public does not.
    leader = _sign_in(browser.new_context(), base, "lanhdao_tinh")
    leader.goto(f"{base}/sessions/{session.pk}/results/")
    assert "Triệu Thị Mận" in leader.content()
    anonymous = browser.new_context().new_page()
    assert anonymous.goto(f"{base}/public/{session.public_id}/").status == 404


def test_a_paper_tally_goes_from_import_to_a_public_page(
    live_server, browser, cast_tx, tmp_path, shots
):
    base = live_server.url
    sheet = tmp_path / "tally.csv"
    sheet.write_text(
        "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
        "1,Phương Thị Thanh Hà,Chủ tịch HĐND tỉnh,38,9,1\n"
        "2,Lê Minh Tiến,Chủ tịch UBND tỉnh,19,2,25\n",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = _sign_in(context, base, "thuky")
    staff.goto(f"{base}/sessions/import-tally/")
    staff.select_option("#id_organization", str(cast_tx.org.pk))
    staff.fill("#id_title", "Kỳ họp HĐND: kết quả lấy phiếu tín nhiệm")
    staff.fill("#id_date", "2023-12-07")
    staff.select_option("#id_regime", "nq96")
    staff.select_option("#id_procedure", "rating")
    staff.fill("#id_collected", "48")
    staff.fill("#id_issued", "48")
    staff.fill("#id_present", "48")
    staff.fill("#id_committee_head", "Lý Thị Nga, Đại biểu HĐND tỉnh")
    staff.set_input_files("#id_file", str(sheet))
    _submit(staff)
    # Reading the file creates nothing: each row is shown with the official it continues.
    assert not VotingSession.objects.filter(title__startswith="Kỳ họp HĐND").exists()
    staff.screenshot(path=str(shots / "import-confirm.png"), full_page=True)
    _go(staff, "#confirm-import")
    session = VotingSession.objects.get(title="Kỳ họp HĐND: kết quả lấy phiếu tín nhiệm")
    assert (session.status, session.scope) == ("closed", "public")
    # An imported count names no accounts: the member who certifies is linked on the tab.
    staff.goto(f"{base}/sessions/{session.pk}/committee/")
    staff.fill("#id_full_name", "Lục Văn Kiểm")
    staff.select_option("#id_user", label="kiemphieu")
    _submit(staff)
    assert session.committee.get(full_name="Lục Văn Kiểm").user == cast_tx.committee

    committee = _sign_in(browser.new_context(), base, "kiemphieu")
    committee.goto(f"{base}/sessions/{session.pk}/results/")
    _go(committee, "form[action$='/certify/'] button")
    _go(committee, "form[action$='/publish/'] button")

    visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(f"{base}/public/")
    _go(visitor, f"text={session.title}")
    assert "52,08%" in visitor.content()  # 25 of 48 low
    visitor.screenshot(path=str(shots / "public-results.png"), full_page=True)
    pdf = visitor.request.get(f"{base}/public/{session.public_id}/minutes.pdf")
    text = _pdf_text(pdf.body())
    assert "Lê Minh Tiến" in text and "52,08%" in text
