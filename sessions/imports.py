"""Reading a list of summoned voters from a CSV or XLSX file.

Pure functions: bytes in, rows out, or every problem found with its row and column. Nothing is
written here; the service imports only a file that parsed without a single error.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_ROWS = 5000

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


def clean_text(value: object) -> str:
    """NFC-normalized text with inner whitespace collapsed (Excel cells and CSV alike)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


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
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [], [ImportProblem(_("the file is not a valid Excel (.xlsx) workbook."))]
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_ROWS + 1:
                break
            rows.append([clean_text(cell) for cell in row])
        return rows, []
    finally:
        workbook.close()


normalize_header = _normalize_header


def read_table(filename: str, data: bytes) -> tuple[int, list[list[str]], list[ImportProblem]]:
    """A CSV or XLSX file as rows of text, and the index of its header row (blank rows skipped).

    Shared by every import: the problems say why a file cannot be read at all.
    """
    if not data.strip():
        return 0, [], [ImportProblem(_("the file is empty."))]
    is_xlsx = data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm"))
    raw_rows, problems = (_read_xlsx if is_xlsx else _read_csv)(data)
    if problems:
        return 0, [], problems
    # Skip blank lines before the header (title rows in Excel are common).
    start = 0
    while start < len(raw_rows) and not any(clean_text(c) for c in raw_rows[start]):
        start += 1
    if start == len(raw_rows):
        return 0, [], [ImportProblem(_("the file is empty."))]
    return start, [[clean_text(c) for c in row] for row in raw_rows], []


def parse_voter_file(filename: str, data: bytes) -> ImportResult:
    """Parse a voter list; report every problem, each with its row and column."""
    result = ImportResult()
    start, raw_rows, problems = read_table(filename, data)
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
                    "no column of full names. The first row must name the columns, e.g. "
                    "“STT, Họ và tên, Chức vụ, đơn vị” or “No, Full name, Position”; found: "
                    "%(found)s."
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
