"""The first sheet of an Excel (.xlsx) workbook as rows of values, read within bounds.

An .xlsx file is a zip of XML: 226 KB can unpack to a single row of two million cells, which
openpyxl builds whole in memory before it yields the row (a worker killed after 30 s). So before
openpyxl reads a cell, the file is checked in two cheap steps, and refused with a reason:

1. the zip's directory: the members it would unpack (pictures aside) add up to at most
   MAX_UNPACKED bytes. zipfile stops at the declared size, so a lying directory cannot pass more.
2. one streaming pass over the first sheet's XML, each cell dropped once seen: no value beyond
   row MAX_SHEET_ROWS or column MAX_COLUMNS, no value longer than MAX_CELL_CHARS, and not too
   many cells in a row or rows at all, even empty ones. It stops at the first cell out of bounds,
   so a row of two million cells is refused after 101 of them.

openpyxl then reads only the rows and columns that hold values.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.xml.functions import iterparse

MAX_UNPACKED = 10 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_SHEET_ROWS = 10_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 2000
# Empty cells and rows (formatting only) are not values, but openpyxl still builds them: a row
# of two million empty cells is as costly as one of values.
MAX_CELLS_PER_ROW = 1000
MAX_ROW_ELEMENTS = 100_000


class SheetRefused(Exception):
    """Why the workbook is not read, and where in the first sheet when that is known."""

    def __init__(self, message: str, *, row: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = get_column_letter(column) if column else None


@dataclass
class _Extent:
    """The last row and column of the first sheet that hold a value."""

    rows: int = 0
    columns: int = 0


def read_first_sheet(data: bytes) -> list[list[object]]:
    """The first sheet's values, row by row (formulas as their last computed value)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked_size(archive)
            path = _first_sheet_path(data)
            if path is None:
                raise SheetRefused(_("the workbook has no sheet."))
            with archive.open(path) as xml:
                extent = _scan(xml)
        # Only now: openpyxl reads the whole sheet once as it opens the workbook.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SheetRefused:
        raise
    except Exception:  # zip, XML (expat, defusedxml) or a part missing: not a workbook we read
        raise SheetRefused(_("the file is not a valid Excel (.xlsx) workbook.")) from None
    try:
        if not extent.rows:
            return []
        rows = workbook.worksheets[0].iter_rows(
            min_row=1, max_row=extent.rows, max_col=extent.columns, values_only=True
        )
        return [list(row) for row in rows]
    finally:
        workbook.close()


def _first_sheet_path(data: bytes) -> str | None:
    """The part holding the workbook's first worksheet (charts aside), as openpyxl finds it."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(io.BytesIO(data), read_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        return next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ),
            None,
        )
    finally:
        reader.archive.close()


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members if not m.filename.startswith("xl/media/"))
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        raise SheetRefused(
            _(
                "the workbook unpacks to more than %(size)d MB of data; a list of people is far "
                "smaller. Copy the list alone into a new workbook."
            )
            % {"size": MAX_UNPACKED // (1024 * 1024)}
        )


def _scan(xml: IO[bytes]) -> _Extent:
    """Where the sheet's values end; refused at the first row, cell or value out of bounds."""
    extent = _Extent()
    rows = row_number = cells = column = 0
    parents = []
    for event, element in iterparse(xml, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                rows += 1
                row_number, cells, column = _position(element.get("r"), row_number + 1), 0, 0
                if rows > MAX_ROW_ELEMENTS:
                    raise SheetRefused(
                        _("the sheet has more than %(max)d rows.") % {"max": MAX_ROW_ELEMENTS}
                    )
            elif tag == "c":
                cells += 1
                column = _column(element.get("r"), column + 1)
                if cells > MAX_CELLS_PER_ROW:
                    raise SheetRefused(
                        _("the row has more than %(max)d cells.") % {"max": MAX_CELLS_PER_ROW},
                        row=row_number,
                    )
            parents.append(element)
            continue
        parents.pop()
        if tag == "c":
            length = sum(len(e.text or "") for e in element.iter() if _local(e.tag) in {"v", "t"})
            if length:
                _check_cell(row_number, column, length)
                extent.rows = max(extent.rows, row_number)
                extent.columns = max(extent.columns, column)
        if tag in {"c", "row"} and parents:
            parents[-1].remove(element)  # seen: forget it, so that memory stays flat
    return extent


def _check_cell(row: int, column: int, length: int) -> None:
    if row > MAX_SHEET_ROWS:
        raise SheetRefused(
            _("the sheet has values below row %(max)d; a list has at most that many rows.")
            % {"max": MAX_SHEET_ROWS},
            row=row,
            column=column,
        )
    if column > MAX_COLUMNS:
        raise SheetRefused(
            _("the sheet has values beyond column %(max)d; a list has far fewer columns.")
            % {"max": MAX_COLUMNS},
            row=row,
            column=column,
        )
    if length > MAX_CELL_CHARS:
        raise SheetRefused(
            _("the cell holds more than %(max)d characters.") % {"max": MAX_CELL_CHARS},
            row=row,
            column=column,
        )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _position(text: str | None, default: int) -> int:
    return int(text) if text and text.isascii() and text.isdigit() else default


def _column(reference: str | None, default: int) -> int:
    """The column of a cell reference such as "CW12" (its letters), else the next column."""
    letters = (reference or "").rstrip("0123456789")
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        return default
    return column_index_from_string(letters.upper())
