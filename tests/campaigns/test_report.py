"""The consolidated report: the certified figures of each body (an electronic session and an
imported tally), the summary by band, the follow-up, the missing body; as XLSX and as PDF."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.report import campaign_report
from results.frozen import session_result


def test_the_report_carries_each_sessions_certified_figures(reported):
    world, electronic, tally = reported
    report = campaign_report(world.campaign)
    by_body = {}
    for item in report.lines:
        by_body.setdefault(item.organization.pk, []).append(item)
    for body, session in [(world.a, electronic), (world.b, tally)]:
        certified = session_result(session)
        lines = by_body[body.pk]
        assert [item.line.candidate.official.full_name for item in lines] == [
            line.candidate.official.full_name for line in certified.candidates
        ]
        for item, line in zip(lines, certified.candidates, strict=True):
            assert [(lr.count, lr.percent) for lr in item.line.levels] == [
                (lr.count, lr.percent) for lr in line.levels
            ]
            assert item.line.band_code == line.band_code
            assert item.denominator == certified.denominator
    names = {item.line.candidate.official.full_name: item for item in report.lines}
    assert [lr.count for lr in names["Nguyễn Văn Thấp"].line.levels] == [2, 0, 3]
    assert str(names["Nguyễn Văn Thấp"].line.levels[2].percent) == "60.00"
    assert [lr.count for lr in names["Phạm Văn Nam"].line.levels] == [10, 5, 33]
    assert str(names["Phạm Văn Nam"].line.levels[2].percent) == "68.75"


def test_the_report_counts_people_by_band_and_lists_the_follow_up(reported):
    world, _electronic, _tally = reported
    report = campaign_report(world.campaign)
    counts = {count.code: count.count for count in report.band_counts}
    assert counts == {"two_thirds": 1, "over_half": 1, "none": 3}
    assert [
        (item.line.candidate.official.full_name, item.band_code) for item in report.follow_up
    ] == [
        ("Nguyễn Văn Thấp", "over_half"),
        ("Phạm Văn Nam", "two_thirds"),
    ]


def test_a_body_without_a_certified_session_is_listed_as_missing(reported):
    world, _electronic, _tally = reported
    report = campaign_report(world.campaign)
    assert [(row.organization, row.progress.value) for row in report.missing] == [
        (world.c, "not_started")
    ]


def test_the_campaign_page_shows_the_report_to_the_launching_body(client, reported):
    world, _electronic, _tally = reported
    client.force_login(world.leader)
    page = client.get(reverse("campaigns:detail", args=[world.campaign.pk])).content.decode()
    for text in ["Phạm Văn Nam", "68,75%", "Nguyễn Văn Thấp", "60,00%", world.c.name]:
        assert text in page


def test_a_body_taking_part_sees_progress_but_no_other_bodys_figures(client, reported):
    world, _electronic, _tally = reported
    client.force_login(world.secretariat_a)
    page = client.get(reverse("campaigns:detail", args=[world.campaign.pk])).content.decode()
    assert "Phạm Văn Nam" not in page and "68,75%" not in page
    assert "Đã xác nhận" in page  # B's progress: certified


def test_the_xlsx_has_vietnamese_headers_numbers_and_percent_cells(client, reported):
    world, _electronic, _tally = reported
    client.force_login(world.admin)
    response = client.get(reverse("campaigns:report_xlsx", args=[world.campaign.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Cơ quan, tổ chức", "STT", "Họ và tên", "Chức vụ"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "Phạm Văn Nam")
    low_votes = header.index("Tín nhiệm thấp (số phiếu)")
    assert row[low_votes].value == 33 and isinstance(row[low_votes].value, int)
    low_percent = row[low_votes + 1]
    assert abs(low_percent.value - 0.6875) < 1e-9 and low_percent.number_format == "0.00%"
    assert row[0].value == world.b.name
    summary = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows(min_row=2)}
    assert 1 in summary.values() and 3 in summary.values()
    missing = [[c.value for c in r] for r in book.worksheets[3].iter_rows(min_row=2)]
    assert missing == [[world.c.name, "Chưa bắt đầu"]]


def test_the_pdf_reports_the_people_the_bands_and_the_missing_body(client, reported):
    world, _electronic, _tally = reported
    client.force_login(world.leader)
    response = client.get(reverse("campaigns:report_pdf", args=[world.campaign.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY TỈNH THỬ",
        "BÁO CÁO",
        "Phạm Văn Nam",
        "68,75%",
        "Nguyễn Văn Thấp",
        world.c.name,
        "Quy định số 96-QĐ/TW",
    ]:
        assert expected in text, expected
    assert "ngày " in text and " năm 20" in text
