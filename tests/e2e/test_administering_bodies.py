"""An organization administrator, in real Chromium, creates a body below its own and a
secretariat account for it; the new secretary signs in with the temporary password shown once
(issue 13, item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from people.models import AccountEvent
from sessions.models import Membership, Official, Organization, RegistryEvent
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path):
    """docs/screenshots/ under `make screenshots` (E2E_SCREENSHOTS=1), else a temporary folder."""
    return DOCS_SHOTS if os.environ.get("E2E_SCREENSHOTS") == "1" else tmp_path


def _sign_in(browser, base, username, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return context, page


def test_an_administrator_creates_a_body_and_its_secretariat_account_which_then_signs_in(
    live_server, browser, shots
):
    province = make_org("Tỉnh ủy tỉnh Thử", kind="party")
    make_member(province, Membership.Role.ADMIN, "bantochuc")
    base = live_server.url

    context, page = _sign_in(browser, base, "bantochuc", "pw")
    page.click("header >> text=Cơ quan và tài khoản")
    page.click(f"a:has-text('{province.name}')")
    page.click("text=+ Cơ quan cấp dưới")
    page.fill("#id_name", "Huyện ủy Thử Một")
    page.select_option("#id_kind", "party")
    page.fill("#id_document_name", "ĐẢNG BỘ TỈNH THỬ / HUYỆN ỦY THỬ MỘT")
    page.fill("#id_locality", "Thử Một")
    page.fill("#id_abbreviation", "HU")
    with page.expect_navigation():
        page.click("main [type=submit]")
    body = Organization.objects.get(name="Huyện ủy Thử Một")
    assert body.parent == province and body.abbreviation == "HU"
    assert page.locator("h1").inner_text() == "Huyện ủy Thử Một"

    page.click("text=+ Tài khoản mới")
    page.fill("#id_full_name", "Trần Văn Đông")
    page.fill("#id_username", "thuky_thumot")
    assert page.locator("#id_organization").input_value() == str(body.pk)
    page.select_option("#id_role", "secretariat")
    with page.expect_navigation():
        page.click("main [type=submit]")
    password = page.locator("#temporary-password").inner_text().strip()
    assert len(password) == 14
    page.screenshot(path=str(shots / "account-created.png"), full_page=True)
    page.goto(f"{base}/people/bodies/{province.pk}/")
    page.screenshot(path=str(shots / "bodies.png"), full_page=True)
    for name, post in [("Nguyễn Văn Tuấn", "Bí thư"), ("Trần Thị Tuân", "Phó Bí thư")]:
        Official.objects.create(organization=province, full_name=name, positions=post)
    page.goto(f"{base}/people/officials/?q=tuan")  # typed without diacritics
    listing = page.locator("main").inner_text()
    assert "Nguyễn Văn Tuấn" in listing and "Trần Thị Tuân" in listing
    page.screenshot(path=str(shots / "officials.png"), full_page=True)
    assert RegistryEvent.objects.filter(object_id=body.pk, action="added").exists()
    assert AccountEvent.objects.filter(account__username="thuky_thumot", action="created").exists()
    context.close()

    context, page = _sign_in(browser, base, "thuky_thumot", password)
    # The temporary password is changed before anything else.
    assert page.url == f"{base}/accounts/password/"
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Mật-khẩu-riêng-2027")
    page.fill("#id_new_password2", "Mật-khẩu-riêng-2027")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{base}/")
    assert page.url == f"{base}/"
    assert "Trần Văn Đông" in page.locator("header").inner_text()
    assert page.locator("a[href='/sessions/new/']").count() >= 1  # the secretariat may create one
    context.close()
