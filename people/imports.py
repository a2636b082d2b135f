"""Reading a list of officials from a CSV or XLSX file, with the voter import's reader and
its errors: every problem found, each with its row and column, and nothing written here."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.imports import (
    MAX_ROWS,
    NAME_HEADERS,
    ImportProblem,
    normalize_header,
    read_table,
)

POSITION_HEADERS = {"chuc vu", "chuc danh", "position", "positions", "position(s)", "post"}
BIRTH_HEADERS = {"nam sinh", "year of birth", "born", "birth year"}
STARTED_HEADERS = {
    "ngay bau, bo nhiem",
    "ngay bau/bo nhiem",
    "ngay bau hoac bo nhiem",
    "ngay bau",
    "ngay bo nhiem",
    "elected or appointed on",
    "appointed on",
    "elected on",
}

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$")  # an Excel date cell, as read


@dataclass(frozen=True)
class OfficialRow:
    line: int
    full_name: str
    positions: str
    birth_year: int | None = None
    started_on: datetime.date | None = None


@dataclass
class OfficialImport:
    rows: list[OfficialRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def parse_date(text: str) -> datetime.date | None:
    """dd/mm/yyyy (the Vietnamese order; also with dots or dashes), or an Excel date cell."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _column(normalized: list[str], names: set[str]) -> int | None:
    return next((i for i, h in enumerate(normalized) if h in names), None)


def parse_officials_file(filename: str, data: bytes) -> OfficialImport:
    """Parse a list of officials: full name and position(s) required; year of birth and the
    date elected or appointed optional. Every problem is reported with its row and column."""
    result = OfficialImport()
    start, raw_rows, problems = read_table(
        filename, data, is_header=lambda row: any(normalize_header(c) in NAME_HEADERS for c in row)
    )
    if problems:
        result.problems.extend(problems)
        return result
    header = raw_rows[start]
    normalized = [normalize_header(c) for c in header]
    name_col = _column(normalized, NAME_HEADERS)
    position_col = _column(normalized, POSITION_HEADERS)
    birth_col = _column(normalized, BIRTH_HEADERS)
    started_col = _column(normalized, STARTED_HEADERS)
    if name_col is None or position_col is None:
        result.problems.append(
            ImportProblem(
                _(
                    "the columns “Họ và tên” and “Chức vụ” are needed (optional: “Năm sinh”, "
                    "“Ngày bầu, bổ nhiệm”); the first row holds: %(found)s."
                )
                % {"found": ", ".join(f"“{h}”" for h in header if h) or _("nothing")},
                row=start + 1,
            )
        )
        return result
    data_rows = raw_rows[start + 1 :]
    if len(data_rows) > MAX_ROWS:
        result.problems.append(
            ImportProblem(_("more than %(max)d rows; split the list.") % {"max": MAX_ROWS})
        )
        return result
    this_year = timezone.localdate().year
    seen: dict[str, int] = {}
    for offset, cells in enumerate(data_rows):
        line = start + 2 + offset
        if not any(cells):
            continue

        def cell(col: int | None, cells: list[str] = cells) -> str:
            return cells[col] if col is not None and col < len(cells) else ""

        def problem(message: str, col: int, line: int = line) -> None:
            result.problems.append(ImportProblem(message, row=line, column=header[col]))

        full_name, positions = cell(name_col), cell(position_col)
        birth_text, started_text = cell(birth_col), cell(started_col)
        before = len(result.problems)
        if not full_name:
            problem(_("the full name is empty."), name_col)
        elif len(full_name) > 150:
            problem(_("the name is longer than 150 characters."), name_col)
        if not positions:
            problem(_("the position is empty."), position_col)
        elif len(positions) > 300:
            problem(_("longer than 300 characters."), position_col)
        birth_year = None
        if birth_text:
            if (
                birth_text.isascii()
                and birth_text.isdigit()
                and 1900 <= int(birth_text) <= this_year
            ):
                birth_year = int(birth_text)
            else:
                problem(_("“%(value)s” is not a year of birth.") % {"value": birth_text}, birth_col)
        started_on = None
        if started_text:
            started_on = parse_date(started_text)
            if started_on is None:
                problem(
                    _("“%(value)s” is not a date (day/month/year).") % {"value": started_text},
                    started_col,
                )
        key = " ".join(full_name.casefold().split())
        if full_name and key in seen:
            problem(_("duplicate of row %(first)d.") % {"first": seen[key]}, name_col)
        if len(result.problems) > before:
            continue
        seen[key] = line
        result.rows.append(OfficialRow(line, full_name, positions, birth_year, started_on))
    if not result.rows and not result.problems:
        result.problems.append(ImportProblem(_("the file has a header but no officials.")))
    return result
