"""XLSX imports read within bounds, and find their header below title rows (voters and tally)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ballots.tally_file import parse_tally_file
from sessions.imports import parse_voter_file
from sessions.models import AuditEvent, Voter, VotingSession
from sessions.xlsx import MAX_CELL_CHARS, MAX_COLUMNS

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
INLINE = '<c t="inlineStr"><is><t>x</t></is></c>'


def xlsx_bomb(cells: int) -> bytes:
    """A valid workbook whose first sheet is one row of `cells` inline strings, no references.

    Written in chunks, deflated: 2 million cells (72 MB of XML) make a file of about 200 KB.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{SHEET_HEAD}<row r="1">'.encode())
            chunk = (INLINE * 10_000).encode()
            for _ in range(cells // 10_000):
                sheet.write(chunk)
            sheet.write(f"</row>{SHEET_TAIL}".encode())
    return buffer.getvalue()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _measured(parse, data):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = parse(data)
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.fixture(scope="module")
def bomb():
    return xlsx_bomb(2_000_000)


def test_the_bomb_is_a_small_file_that_unpacks_to_72_mb(bomb):
    assert len(bomb) < 300 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 70 * 1024 * 1024


@pytest.mark.parametrize(
    "parse",
    [
        lambda data: parse_voter_file("ds.xlsx", data),
        lambda data: parse_tally_file("kq.xlsx", data, procedure="rating", collected=47),
    ],
    ids=["voters", "tally"],
)
def test_a_row_of_two_million_cells_is_refused_at_once_in_little_memory(bomb, parse):
    result, elapsed, peak = _measured(parse, bomb)
    assert not result.ok and not result.rows
    assert "10 MB" in str(result.problems[0])
    assert elapsed < 2
    assert peak < 5 * 1024 * 1024


def test_a_bomb_under_the_size_bound_is_stopped_at_the_first_cell_past_the_last_column():
    data = xlsx_bomb(200_000)  # 7 MB of XML: the sheet itself is read, cell by cell
    result, elapsed, peak = _measured(lambda d: parse_voter_file("ds.xlsx", d), data)
    assert [(p.row, p.column) for p in result.problems] == [(1, "CW")]  # column 101
    assert str(MAX_COLUMNS) in result.problems[0].message
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024


def test_a_value_far_below_the_list_is_refused_with_its_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên"])
    sheet.append(["Nguyễn Văn A"])
    sheet.cell(row=1_000_000, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_voter_file("ds.xlsx", buffer.getvalue())
    assert [(p.row, p.column) for p in result.problems] == [(1_000_000, "A")]


@pytest.mark.parametrize(
    ("name", "column"),
    [("ds.xlsx", "B"), ("ds.csv", "Họ và tên")],  # Excel: refused before the header is read
)
def test_a_cell_longer_than_any_field_is_refused_with_its_row_and_column(name, column):
    rows = [["STT", "Họ và tên"], [1, "Nguyễn Văn A"], [2, "B" * (MAX_CELL_CHARS + 1)]]
    if name.endswith(".xlsx"):
        data = xlsx_bytes(rows)
    else:
        data = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    result = parse_voter_file(name, data)
    assert [(p.row, p.column) for p in result.problems] == [(3, column)]
    assert str(MAX_CELL_CHARS) in result.problems[0].message


def test_a_control_character_pasted_into_a_cell_is_not_read_into_a_name():
    result = parse_voter_file("ds.csv", "Họ và tên\nNguyễn\x1bVăn\x7fA\n".encode())
    assert result.ok
    assert result.rows[0].full_name == "Nguyễn Văn A"


def test_a_row_of_two_million_empty_cells_is_refused_as_well():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD + "<row>" + "<c/>" * 2_000_000 + "</row>" + SHEET_TAIL,
        )
    result, elapsed, peak = _measured(lambda d: parse_voter_file("ds.xlsx", d), buffer.getvalue())
    assert [p.row for p in result.problems] == [1]
    assert "1000" in result.problems[0].message
    assert elapsed < 1 and peak < 5 * 1024 * 1024


def test_the_voter_import_page_refuses_the_bomb_and_stores_nothing(client, cast, bomb):
    before = Voter.objects.count(), AuditEvent.objects.count()
    client.force_login(cast.secretariat)
    started = time.perf_counter()
    response = client.post(
        reverse("votesessions:voters_import", args=[cast.session.pk]),
        {"file": SimpleUploadedFile("ds.xlsx", bomb), "replace": "0"},
    )
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    assert "10 MB" in response.content.decode()
    assert (Voter.objects.count(), AuditEvent.objects.count()) == before
    assert not any(key.startswith("voter-import") for key, _v in client.session.items())


def test_the_tally_import_page_refuses_the_bomb_and_creates_nothing(client, cast, bomb):
    sessions = VotingSession.objects.count()
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": cast.org.pk,
            "title": "Bom",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": "47",
            "file": SimpleUploadedFile("kq.xlsx", bomb),
        },
    )
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert VotingSession.objects.count() == sessions


# --- Title rows above the header (README: "title rows above the header are skipped") ----------

TITLES = [
    ["HỘI CỰU CHIẾN BINH TỈNH"],
    ["DANH SÁCH ĐẠI BIỂU ĐƯỢC TRIỆU TẬP"],
    [None],
]


def test_a_voter_list_with_two_title_rows_and_a_blank_row_above_the_header_is_read():
    data = xlsx_bytes(
        [*TITLES, ["STT", "Họ và tên", "Chức vụ"], [1, "Nông Văn Dũng", "Trưởng ban"]]
    )
    result = parse_voter_file("ds.xlsx", data)
    assert result.problems == []
    assert [(r.line, r.full_name, r.unit) for r in result.rows] == [
        (5, "Nông Văn Dũng", "Trưởng ban")
    ]


def test_a_csv_voter_list_with_title_rows_is_read_too():
    data = "DANH SÁCH TRIỆU TẬP\nNgày 14/9/2026\n\nHọ và tên,Đơn vị\nLê Văn Ba,Xã A\n".encode()
    result = parse_voter_file("ds.csv", data)
    assert [(r.line, r.full_name) for r in result.rows] == [(5, "Lê Văn Ba")]


def test_a_tally_sheet_with_title_rows_above_the_header_is_read():
    data = xlsx_bytes(
        [
            *TITLES,
            ["STT", "Họ và tên", "Chức vụ", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"],
            [1, "Hoàng Văn Thành", "Chủ tịch", 40, 5, 2],
        ]
    )
    result = parse_tally_file("kq.xlsx", data, procedure="rating", collected=47)
    assert result.problems == []
    assert [(r.line, r.full_name, r.counts) for r in result.rows] == [
        (5, "Hoàng Văn Thành", {"high": 40, "medium": 5, "low": 2})
    ]


def test_a_file_without_a_name_column_below_its_titles_is_refused_at_its_first_row():
    data = xlsx_bytes([*TITLES, ["STT", "Tên đơn vị"], [1, "Xã A"]])
    result = parse_voter_file("ds.xlsx", data)
    assert [p.row for p in result.problems] == [1]
    assert "“HỘI CỰU CHIẾN BINH TỈNH”" in result.problems[0].message
