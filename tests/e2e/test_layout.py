"""The results on a 1366 px laptop and the dashboard on a 360 px phone (issue 16, item 13).

At 1366 px the side panel used to squeeze the results table (names on three lines, positions on
five or six); on a phone the dashboard's table broke titles one word per line and cut columns.
"""

from __future__ import annotations

import pytest

from ballots import services
from sessions import services as session_services
from tests.factories import fill_session, make_session, open_session

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [
    ("Nguyễn Thị Thanh Hương", "Phó Chủ tịch Thường trực Hội đồng nhân dân tỉnh"),
    ("Hoàng Văn Thành", "Chủ tịch Hội Cựu chiến binh tỉnh, Bí thư Đảng đoàn"),
    ("Triệu Thị Mận", "Phó Chủ tịch Hội"),
]

# Lines a cell's text takes: the distinct tops of its line boxes.
LINES = """(cell) => { const range = document.createRange(); range.selectNodeContents(cell);
  const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
  return new Set(tops).size; }"""

# Nothing to scroll sideways: neither the page nor the table's own scroller.
FITS = """() => document.documentElement.scrollWidth <= window.innerWidth && [...document
  .querySelectorAll('.table-responsive')].every(t => t.scrollWidth <= t.clientWidth)"""


def _sign_in(browser, base, username, **viewport):
    page = browser.new_context(viewport=viewport or None).new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


@pytest.fixture
def counted(cast_tx):
    actor = cast_tx.secretariat
    session = make_session(
        cast_tx.org,
        actor,
        title="Hội nghị lấy phiếu tín nhiệm lãnh đạo Hội Cựu chiến binh năm 2026",
    )
    for name, position in PEOPLE:
        session_services.candidate_add(
            actor=actor, session=session, full_name=name, positions=position
        )
    fill_session(session, actor, candidates=0, voters=3)
    open_session(session, actor, codes=3, activate=1)
    services.session_close(actor=actor, session=session, confirm_empty=True)
    cast_tx.session = session
    return cast_tx


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_results_table_takes_the_width_names_on_one_line_positions_on_two_at_most(
    live_server, browser, counted, width
):
    page = _sign_in(browser, live_server.url, "kiemphieu", width=width, height=768)
    page.goto(f"{live_server.url}/sessions/{counted.session.pk}/results/")
    main = page.locator(".results-main").bounding_box()
    side = page.locator(".results-side").bounding_box()
    assert main["width"] >= page.locator("main").bounding_box()["width"] - 30  # the whole width
    assert side["y"] >= main["y"] + main["height"]  # the panel below the table
    names = page.locator(".results-table td.name-col")
    positions = page.locator(".results-table td.position-col")
    assert names.count() == positions.count() == len(PEOPLE)
    for i in range(len(PEOPLE)):
        assert names.nth(i).evaluate(LINES) == 1, PEOPLE[i][0]
        assert positions.nth(i).evaluate(LINES) <= 2, PEOPLE[i][1]
    assert page.evaluate(FITS)
    assert "#}" not in page.inner_text("main")  # template comments never reach the reader


def test_at_360_px_each_session_on_the_dashboard_is_a_card_with_nothing_cut(
    live_server, browser, counted
):
    page = _sign_in(browser, live_server.url, "thuky", width=360, height=740)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "#}" not in page.inner_text("main")
    row = page.locator("table.session-list tbody tr", has_text=counted.session.title)
    card = row.bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= 360
    title = row.locator("td.session-title")
    assert title.bounding_box()["width"] >= card["width"] - 40  # the title runs across the card
    words = len(counted.session.title.split())
    assert title.locator("a").evaluate(LINES) <= words // 3  # several words per line
    for label in ["Tổ chức", "Ngày", "Trạng thái"]:  # each column a labelled line
        cell = row.locator(f"td[data-label='{label}']")
        box = cell.bounding_box()
        assert box["width"] > 0 and box["x"] + box["width"] <= 360
        before = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert before == f'"{label}"'
    head = page.locator("table.session-list thead").first.bounding_box()
    assert head is None or head["height"] <= 1  # the column heads only for screen readers
