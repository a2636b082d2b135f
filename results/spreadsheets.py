"""Tables written as CSV and XLSX, safe to open in a spreadsheet: every export goes through here.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or a carriage return) is read as a
formula by Excel, LibreOffice and Google Sheets: a name typed as `=HYPERLINK("http://…","Bấm")`
would become a live link, or worse, in the hands of whoever opens the export (OWASP, "CSV
Injection"). Names and positions are typed by people, so:

- in CSV such a cell gets a leading apostrophe, which spreadsheets read as "text follows" and
  hide; the rest of the text is kept as typed;
- in XLSX every text is written as a string cell (`data_type` "s"), never a formula, with the
  visible text unchanged; a formula-like one also carries the "quote prefix" style, so editing the
  cell in Excel does not turn it into a formula either.

Percentages are `Percent` values: "71.43" with a dot in CSV (a machine format), a number
(0.7143) with a percent format in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sessions.text import xml_safe

# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_PERCENT = "0.00%"


@dataclass(frozen=True)
class Percent:
    """A percentage as computed (71.43 means 71.43%), rounded to two decimals already."""

    value: Decimal

    def __str__(self) -> str:
        return f"{self.value:.2f}"


def formula_like(text: str) -> bool:
    """Would a spreadsheet take this text for a formula? Also behind leading spaces."""
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value as written to a CSV: formula-like text behind an apostrophe."""
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def csv_bytes(
    rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n", bom: bool = False
) -> bytes:
    """UTF-8 CSV of the rows, every cell through `csv_cell`.

    Python's csv module quotes a field holding a CR only when the line terminator has one; with
    "\n" a row holding a CR is written with every field quoted, so that it reads back whole
    (every other row keeps its bytes).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    quoting_all = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [csv_cell(value) for value in row]
        has_cr = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (quoting_all if has_cr and "\r" not in lineterminator else writer).writerow(cells)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold header row, then the rows; texts as strings, percentages as numbers."""
    return xlsx_book([(sheet_title, header, rows)])


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets (title, header, rows), each written as `xlsx_bytes` writes its one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for index, (sheet_title, header, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = xml_safe(sheet_title)[:31] or ("Sheet" if index == 0 else f"Sheet{index + 1}")
        _write_sheet(sheet, header, rows, Font)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    sheet: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], font: Any
) -> None:
    for row_number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, Percent):
                cell.value = value.value / 100
                cell.number_format = XLSX_PERCENT
            elif isinstance(value, str):
                # Control characters other than tab, LF and CR cannot be stored in XLSX at all.
                cell.value = xml_safe(value)
                cell.data_type = "s"  # a string even when it starts with "=": never a formula
                if formula_like(value):
                    cell.quotePrefix = True
            else:
                cell.value = value
            if row_number == 1:
                cell.font = font(bold=True)
    sheet.freeze_panes = "A2"
