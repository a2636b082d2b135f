"""A campaign across a province, in real Chromium (issue 13, item 6; the campaign part of the
issue's end-to-end test): the provincial administrator creates three bodies below and their
secretariats' accounts, launches a campaign; the first body creates its session from the
dashboard and runs it electronically, the second imports a paper tally, has it certified and
attaches it to the campaign, the third does nothing; the provincial leader reads the
consolidated report, on the page, as XLSX and as PDF. Then the rest of the issue's "Must show":
the first body's secretariat prepares the follow-up vote of confidence its certified result
calls for (item 5), and the second body imports the year before, linking the rows to its
existing officials, so that an official's page shows two years (item 3).

The electronic session's lists, voting and certification go through the services (the whole
flow in the browser is tests/e2e/test_whole_flow.py); everything the campaign adds is clicked.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ballots import services as ballot_services
from campaigns.models import Campaign, CampaignSession
from results import services as result_services
from sessions import services as session_services
from sessions.imports import VoterRow
from sessions.models import Membership, Official, Organization, VotingSession
from tests.factories import link_head, make_member, make_org, open_session

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
Role = Membership.Role
BODY_TWO_PEOPLE = ("Lê Thị Hoa", "Phạm Văn Nam")
BODIES = [
    ("Huyện ủy Thử Một", "party", "thuky_mot"),
    ("Hội đồng nhân dân huyện Thử Hai", "state", "thuky_hai"),
    ("Hội Cựu chiến binh huyện Thử Ba", "mass", "thuky_ba"),
]


@pytest.fixture
def shots(tmp_path):
    return DOCS_SHOTS if os.environ.get("E2E_SCREENSHOTS") == "1" else tmp_path


def _go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _sign_in(browser, base, username, password="pw"):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations (certify)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    _go(page, "main button[type=submit]")
    if page.url.endswith("/accounts/password/"):  # a temporary password is changed first
        page.fill("#id_old_password", password)
        page.fill("#id_new_password1", "Mật-khẩu-riêng-2027")
        page.fill("#id_new_password2", "Mật-khẩu-riêng-2027")
        _go(page, "main button[type=submit]")
        page.goto(f"{base}/")
    return page


def _import_tally(page, base, body, sheet, *, title, date, ballots) -> None:
    """The browser tally import's first step: the form, up to the confirmation page."""
    page.goto(f"{base}/sessions/import-tally/")
    page.select_option("#id_organization", str(body.pk))
    page.fill("#id_title", title)
    page.fill("#id_date", date)
    page.select_option("#id_regime", "qd96")
    page.select_option("#id_procedure", "rating")
    for field in ("collected", "issued", "present"):
        page.fill(f"#id_{field}", str(ballots))
    page.fill("#id_committee_head", "Lý Thị Nga, Ủy viên")
    page.set_input_files("#id_file", str(sheet))
    _go(page, "#submit-id-submit")


def _certify_tally(secretariat, committee, base, tally) -> None:
    """The imported tally's committee member linked to the committee's account, who certifies."""
    secretariat.goto(f"{base}/sessions/{tally.pk}/committee/")
    secretariat.fill("#id_full_name", "Lục Văn Kiểm")
    secretariat.select_option("#id_user", label="kiemphieu_hai")
    _go(secretariat, "#submit-id-submit")
    committee.goto(f"{base}/sessions/{tally.pk}/results/")
    _go(committee, "form[action$='/certify/'] button")
    tally.refresh_from_db()
    assert tally.is_certified


def _follow_up(page, base, origin: VotingSession, shots: Path) -> None:
    """The secretariat prepares, from the certified result, the vote of confidence that
    "Nguyễn Văn Thấp" (60,00% low: over half, QĐ 96 Điều 11) calls for."""
    page.goto(f"{base}/sessions/{origin.pk}/results/")
    panel = page.locator("#follow-up")
    assert "Chuẩn bị bỏ phiếu tín nhiệm (1 người)" in panel.inner_text()
    assert "Trần Văn Cao" not in panel.inner_text()  # in no band
    panel.screenshot(path=str(shots / "campaign-follow-up-panel.png"))
    _go(page, "#follow-up button:has-text('Chuẩn bị bỏ phiếu tín nhiệm')")
    created = VotingSession.objects.exclude(pk=origin.pk).get(organization=origin.organization)
    assert page.url.endswith(f"/sessions/{created.pk}/")
    assert (created.procedure, created.regime, created.is_draft) == ("confidence", "qd96", True)
    assert [c.official.full_name for c in created.candidates.all()] == ["Nguyễn Văn Thấp"]
    assert created.voters.count() == origin.voters.count() == 5
    main = page.locator("main").inner_text()
    assert "Nguyễn Văn Thấp" in main and "Trần Văn Cao" not in main
    assert "Bỏ phiếu tín nhiệm" in main
    page.screenshot(path=str(shots / "campaign-follow-up-session.png"), full_page=True)


def _electronic(session: VotingSession, secretariat, committee) -> None:
    """Two people, five voters; "Nguyễn Văn Thấp" low on three of five ballots (60,00%)."""
    for name, position in [("Trần Văn Cao", "Bí thư"), ("Nguyễn Văn Thấp", "Phó Bí thư")]:
        session_services.candidate_add(
            actor=secretariat, session=session, full_name=name, positions=position
        )
    rows = [VoterRow(line=i + 2, full_name=f"Đại biểu {i + 1}", unit="") for i in range(5)]
    session_services.voters_import(actor=secretariat, session=session, rows=rows, replace=False)
    link_head(session, secretariat, committee)
    codes = open_session(session, secretariat, codes=5, activate=5)
    high, low = list(session.candidates.on_ballot())
    for index, code in enumerate(codes):
        ballot_services.ballot_cast(
            raw=code, choices={high.pk: "high", low.pk: "low" if index < 3 else "medium"}
        )
    ballot_services.session_close(actor=secretariat, session=session)
    session.refresh_from_db()
    result_services.result_certify(actor=committee, session=session)


def test_a_province_runs_a_campaign_reads_its_report_then_follows_up_and_links_two_years(
    live_server, browser, tmp_path, shots
):
    base = live_server.url
    province = make_org("Tỉnh ủy tỉnh Thử", kind="party")
    make_member(province, Role.ADMIN, "bantochuc")
    make_member(province, Role.LEADER, "lanhdao_tinh")

    # The administrator creates the three bodies and their secretariats' accounts.
    admin = _sign_in(browser, base, "bantochuc")
    passwords = {}
    for name, kind, username in BODIES:
        admin.goto(f"{base}/people/bodies/{province.pk}/new/")
        admin.fill("#id_name", name)
        admin.select_option("#id_kind", kind)
        _go(admin, "main [type=submit]")
        body = Organization.objects.get(name=name)
        admin.goto(f"{base}/people/accounts/new/?body={body.pk}")
        admin.fill("#id_full_name", f"Thư ký {name}")
        admin.fill("#id_username", username)
        admin.select_option("#id_role", "secretariat")
        _go(admin, "main [type=submit]")
        passwords[username] = admin.locator("#temporary-password").inner_text().strip()
    one, two, three = (Organization.objects.get(name=name) for name, _k, _u in BODIES)
    assert {one.parent, two.parent, three.parent} == {province}
    committee_one = make_member(one, Role.COMMITTEE, "kiemphieu_mot")
    make_member(two, Role.COMMITTEE, "kiemphieu_hai")

    # The campaign, for the three of them.
    admin.goto(f"{base}/")
    _go(admin, "text=+ Phát động đợt lấy phiếu")
    admin.select_option("#id_organization", str(province.pk))
    admin.fill("#id_title", "Lấy phiếu tín nhiệm giữa nhiệm kỳ năm 2026")
    admin.fill("#id_year", "2026")
    admin.select_option("#id_regime", "qd96")
    admin.select_option("#id_procedure", "rating")
    admin.fill("#id_deadline", "2026-12-20")
    for body in (one, two, three):
        admin.check(f"input[name=bodies][value='{body.pk}']")
    _go(admin, "#submit-id-submit")
    campaign = Campaign.objects.get()
    assert campaign.organization == province and campaign.bodies.count() == 3
    assert admin.locator("#progress tbody tr").count() == 3

    # Body one: "create our session for this campaign" from its dashboard, then the session.
    first = _sign_in(browser, base, "thuky_mot", passwords["thuky_mot"])
    assert campaign.title in first.locator("main").inner_text()
    _go(first, "text=Tạo hội nghị của đơn vị cho đợt này")
    session = CampaignSession.objects.get(organization=one).session
    assert first.url.endswith(f"/sessions/{session.pk}/")
    assert (session.regime, session.date.year, session.is_draft) == ("qd96", 2026, True)
    assert first.locator("a:has-text('Đợt lấy phiếu')").count() >= 1  # the session's campaign tab
    secretariat_one = Membership.objects.get(organization=one, role=Role.SECRETARIAT).user
    _electronic(session, secretariat_one, committee_one)

    # Body two: a paper tally imported, certified by its committee, attached to the campaign.
    sheet = tmp_path / "tally.csv"
    sheet.write_text(
        "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
        "1,Lê Thị Hoa,Chủ tịch,30,10,8\n"
        "2,Phạm Văn Nam,Phó Chủ tịch,10,5,33\n",
        encoding="utf-8",
    )
    second = _sign_in(browser, base, "thuky_hai", passwords["thuky_hai"])
    _import_tally(
        second,
        base,
        two,
        sheet,
        title="Kết quả lấy phiếu tín nhiệm năm 2026",
        date="2026-11-05",
        ballots=48,
    )
    _go(second, "#confirm-import")  # the rows and their officials, confirmed
    tally = VotingSession.objects.get(title="Kết quả lấy phiếu tín nhiệm năm 2026")
    committee = _sign_in(browser, base, "kiemphieu_hai")
    _certify_tally(second, committee, base, tally)
    second.goto(f"{base}/campaigns/{campaign.pk}/")
    assert second.locator("#report-lines").count() == 0  # no other body's figures
    second.select_option(f"#attach-{two.pk}", str(tally.pk))
    _go(second, "text=Gắn hội nghị đã có này")
    assert CampaignSession.objects.get(organization=two).session == tally

    # The provincial leader reads the report: five people, their figures, the missing body.
    leader = _sign_in(browser, base, "lanhdao_tinh")
    leader.goto(f"{base}/campaigns/{campaign.pk}/")
    rows = leader.locator("#report-lines tbody tr")
    assert rows.count() == 4
    table = leader.locator("#report-lines").inner_text()
    for text in ["Nguyễn Văn Thấp", "60,00%", "Phạm Văn Nam", "68,75%", "Lê Thị Hoa", "62,50%"]:
        assert text in table
    assert three.name in leader.locator("#missing").inner_text()
    follow_up = leader.locator("#follow-up").inner_text()
    assert "Nguyễn Văn Thấp" in follow_up and "Phạm Văn Nam" in follow_up
    assert "Lê Thị Hoa" not in follow_up
    leader.screenshot(path=str(shots / "campaign-report.png"), full_page=True)

    xlsx = leader.request.get(f"{base}/campaigns/{campaign.pk}/report.xlsx")
    sheet_rows = list(load_workbook(io.BytesIO(xlsx.body())).worksheets[0].values)
    assert sheet_rows[0][:3] == ("Cơ quan, tổ chức", "STT", "Họ và tên")
    nam = next(row for row in sheet_rows if row[2] == "Phạm Văn Nam")
    assert nam[0] == two.name and 33 in nam
    pdf = leader.request.get(f"{base}/campaigns/{campaign.pk}/report.pdf")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.body())).pages
    )
    for expected in ["BÁO CÁO", "Phạm Văn Nam", "68,75%", "Nguyễn Văn Thấp", three.name]:
        assert expected in text

    # The follow-up: body one's secretariat prepares the vote of confidence its result calls for.
    _follow_up(first, base, session, shots)

    # Two years on an official's page: body two imports the year before; the rows are linked to
    # the officials its 2026 import created, the tally certified, the page read from above.
    hoa, nam = (Official.objects.get(organization=two, full_name=n) for n in BODY_TWO_PEOPLE)
    earlier = tmp_path / "tally-2025.csv"
    earlier.write_text(
        "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
        "1,LÊ THỊ HOA,Phó Chủ tịch,35,9,2\n"
        "2,Pham Van Nam,Ủy viên,20,20,6\n",
        encoding="utf-8",
    )
    _import_tally(
        second,
        base,
        two,
        earlier,
        title="Kết quả lấy phiếu tín nhiệm năm 2025",
        date="2025-11-06",
        ballots=46,
    )
    # Each row proposed to its official (case and diacritics ignored), confirmed as proposed.
    assert second.locator("#link_2").input_value() == str(hoa.pk)
    assert second.locator("#link_3").input_value() == str(nam.pk)
    _go(second, "#confirm-import")
    last_year = VotingSession.objects.get(title="Kết quả lấy phiếu tín nhiệm năm 2025")
    assert {c.official_id for c in last_year.candidates.all()} == {hoa.pk, nam.pk}
    assert Official.objects.filter(organization=two).count() == 2  # nobody created twice
    _certify_tally(second, committee, base, last_year)

    leader.goto(f"{base}/officials/{nam.pk}/")
    years = leader.locator("main table tbody tr")
    assert years.count() == 2
    history = leader.locator("main table").inner_text()
    for text in ["05/11/2026", tally.title, "68,75%", "06/11/2025", last_year.title, "13,04%"]:
        assert text in history
    leader.screenshot(path=str(shots / "campaign-official-two-years.png"), full_page=True)
