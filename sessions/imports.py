"""Reading a list of summoned voters from a CSV or XLSX file.

Pure functions: bytes in, rows out, or every problem found with its row and column. Nothing is
written here; the service imports only a file that parsed without a single error.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .text import clean_input
from .xlsx import MAX_CELL_CHARS, SheetRefused, read_first_sheet

MAX_ROWS = 5000
# How far down a header row is looked for, past title rows and blank lines.
MAX_TITLE_ROWS = 10

# Accepted header names, compared after normalization (see _normalize_header).
NAME_HEADERS = {"ho va ten", "ho ten", "ten", "full name", "name", "ho va ten dai bieu"}
UNIT_HEADERS = {
    "chuc vu",
    "don vi",
    "chuc vu, don vi",
    "chuc vu don vi",
    "chuc vu/don vi",
    "chuc vu - don vi",
    "position",
    "unit",
    "position or unit",
    "position/unit",
    "position, unit",
}
NUMBER_HEADERS = {"stt", "so tt", "so thu tu", "no", "no.", "number", "#"}


@dataclass(frozen=True)
class VoterRow:
    line: int
    full_name: str
    unit: str


@dataclass(frozen=True)
class ImportProblem:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    rows: list[VoterRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# Control characters become spaces: PostgreSQL refuses a NUL in any text, and Excel writes one
# (escaped as _x0000_, which openpyxl decodes) where a cell was pasted from elsewhere. Invisible
# characters and noncharacters are removed (sessions.text).


def clean_text(value: object) -> str:
    """NFC-normalized text, control characters as spaces, inner whitespace collapsed.

    Every cell of every import goes through here (Excel and CSV alike): the imports' share of
    the rule the web requests get from tinnhiem.middleware.InputTextMiddleware.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", clean_input(str(value))).split())


def _normalize_header(value: object) -> str:
    text = clean_text(value).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip(" :*")


def _read_csv(data: bytes) -> tuple[list[list[str]], list[ImportProblem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            ImportProblem(
                _(
                    "the file is not UTF-8 text (byte %(byte)d on line %(line)d). In Excel "
                    "choose “Save as → CSV UTF-8”, or upload the .xlsx file itself."
                )
                % {"byte": exc.start + 1, "line": line}
            )
        ]
    if "\x00" in text:
        return [], [ImportProblem(_("the file is not a text CSV file."))]
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        return [], [ImportProblem(_("the file is not valid CSV: %(error)s") % {"error": exc})]
    return rows, []


def _read_xlsx(data: bytes) -> tuple[list[list[str]], list[ImportProblem]]:
    try:
        rows = read_first_sheet(data)
    except SheetRefused as refusal:
        return [], [ImportProblem(refusal.message, row=refusal.row, column=refusal.column)]
    return [[clean_text(cell) for cell in row] for row in rows], []


def _long_cell(rows: list[list[str]], start: int) -> ImportProblem | None:
    """The first cell longer than any field we store could be (a CSV is not bounded otherwise),
    its column named by the header above it, else by its letter."""
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                header = (
                    rows[start][index] if number > start + 1 and index < len(rows[start]) else ""
                )
                return ImportProblem(
                    _("the cell holds more than %(max)d characters.") % {"max": MAX_CELL_CHARS},
                    row=number,
                    column=header or get_column_letter(index + 1),
                )
    return None


normalize_header = _normalize_header


def read_table(
    filename: str, data: bytes, *, is_header: Callable[[list[str]], bool] | None = None
) -> tuple[int, list[list[str]], list[ImportProblem]]:
    """A CSV or XLSX file as rows of text, and the index of its header row.

    The header is the first row `is_header` recognizes among the first MAX_TITLE_ROWS non-blank
    rows, so title rows above it ("DANH SÁCH TRIỆU TẬP…", a date, a blank line) are skipped;
    without one, the first non-blank row. Shared by every import: the problems say why a file
    cannot be read at all.
    """
    if not data.strip():
        return 0, [], [ImportProblem(_("the file is empty."))]
    is_xlsx = data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm"))
    rows, problems = (_read_xlsx if is_xlsx else _read_csv)(data)
    if problems:
        return 0, [], problems
    rows = [[clean_text(c) for c in row] for row in rows]
    filled = [index for index, row in enumerate(rows) if any(row)]
    if not filled:
        return 0, [], [ImportProblem(_("the file is empty."))]
    candidates = filled[:MAX_TITLE_ROWS] if is_header else []
    start = next((index for index in candidates if is_header(rows[index])), filled[0])
    long_cell = _long_cell(rows, start)
    if long_cell:
        return 0, [], [long_cell]
    return start, rows, []


def _is_voter_header(row: list[str]) -> bool:
    return any(_normalize_header(cell) in NAME_HEADERS for cell in row)


def parse_voter_file(filename: str, data: bytes) -> ImportResult:
    """Parse a voter list; report every problem, each with its row and column."""
    result = ImportResult()
    start, raw_rows, problems = read_table(filename, data, is_header=_is_voter_header)
    if problems:
        result.problems.extend(problems)
        return result

    header = raw_rows[start]
    normalized = [_normalize_header(c) for c in header]
    name_col = next((i for i, h in enumerate(normalized) if h in NAME_HEADERS), None)
    unit_col = next((i for i, h in enumerate(normalized) if h in UNIT_HEADERS), None)
    if name_col is None:
        result.problems.append(
            ImportProblem(
                _(
                    "no column of full names. A row above the list must name the columns, e.g. "
                    "“STT, Họ và tên, Chức vụ, đơn vị” or “No, Full name, Position”; the first "
                    "row holds: %(found)s."
                )
                % {"found": ", ".join(f"“{h}”" for h in header if h) or _("nothing")},
                row=start + 1,
            )
        )
        return result

    name_label = header[name_col]
    seen: dict[tuple[str, str], int] = {}
    data_rows = raw_rows[start + 1 :]
    if len(data_rows) > MAX_ROWS:
        result.problems.append(
            ImportProblem(_("more than %(max)d rows; split the list.") % {"max": MAX_ROWS})
        )
        return result
    for offset, raw in enumerate(data_rows):
        line = start + 2 + offset
        cells = [clean_text(c) for c in raw]
        if not any(cells):
            continue
        full_name = cells[name_col] if name_col < len(cells) else ""
        unit = cells[unit_col] if unit_col is not None and unit_col < len(cells) else ""
        if not full_name:
            result.problems.append(
                ImportProblem(_("the full name is empty."), row=line, column=name_label)
            )
            continue
        if len(full_name) > 150:
            result.problems.append(
                ImportProblem(
                    _("the name is longer than 150 characters."), row=line, column=name_label
                )
            )
            continue
        if len(unit) > 300:
            result.problems.append(
                ImportProblem(
                    _("longer than 300 characters."), row=line, column=header[unit_col or 0]
                )
            )
            continue
        key = (full_name.casefold(), unit.casefold())
        if key in seen:
            result.problems.append(
                ImportProblem(
                    _("duplicate of row %(first)d (same name and unit).") % {"first": seen[key]},
                    row=line,
                    column=name_label,
                )
            )
            continue
        seen[key] = line
        result.rows.append(VoterRow(line=line, full_name=full_name, unit=unit))
    if not result.rows and not result.problems:
        result.problems.append(ImportProblem(_("the file has a header but no voters.")))
    return result
