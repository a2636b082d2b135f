"""The consolidated report's PDF carries the invalid lines of each person, as its page and XLSX
do (each row then adds up to the ballots collected)."""

from __future__ import annotations

import io
from dataclasses import replace

from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from campaigns.documents import report_paper
from campaigns.report import campaign_report
from results.paper_parts import Table, pct


def test_the_pdf_report_has_an_invalid_lines_column_like_the_page(client, reported):
    world, _electronic, _tally = reported
    client.force_login(world.leader)
    response = client.get(reverse("campaigns:report_pdf", args=[world.campaign.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    results = " ".join(text.split()).split("Kết quả:")[1].split("Tổng hợp theo mức ngưỡng")[0]
    assert "Không hợp lệ" in results


def test_each_pdf_row_shows_the_persons_invalid_count_and_percentage(reported):
    world, _electronic, _tally = reported
    report = campaign_report(world.campaign)
    # A line with invalid ones, as a session with blank or double marks would have.
    first = report.lines[0]
    spoiled = replace(first, line=replace(first.line, invalid=2))
    report = replace(report, lines=[spoiled, *report.lines[1:]])
    with translation.override("en"):
        table = next(b for b in report_paper(report).blocks if isinstance(b, Table))
        expected = [(str(i.line.invalid), pct(i.line.invalid_percent)) for i in report.lines]
    labels = [column.label for column in table.columns]
    assert labels[-2:] == ["Invalid lines", "Band"]
    assert table.rows[0][-2][0] == "2"
    assert [row[-2] for row in table.rows] == expected
