"""Reading a tally sheet (counts per candidate) from CSV or XLSX, with row/column problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sessions.imports import ImportProblem, normalize_header, read_table

from .tally_checks import RowCounts, parse_count, tally_import_problems


@dataclass(frozen=True)
class TallyRow:
    line: int
    order: int | None
    full_name: str
    position: str
    counts: dict[str, int]  # level → count, without "invalid"
    invalid: int | None


# Accepted header names (normalized: lower case, no diacritics) → our column keys.
COLUMNS = {
    "order": {"stt", "order", "so tt", "no", "no.", "#"},
    "name": {"ho va ten", "ho ten", "name", "full name"},
    "position": {"chuc vu", "position", "chuc vu, don vi"},
    "invalid": {"khong hop le", "invalid", "blank", "khong hop le/bo trong"},
}
LEVEL_COLUMNS = {
    "rating": {
        "high": {"tin nhiem cao", "high"},
        "medium": {"tin nhiem", "medium"},
        "low": {"tin nhiem thap", "low"},
    },
    "confidence": {
        "yes": {"tin nhiem", "confidence", "yes"},
        "no": {"khong tin nhiem", "no_confidence", "no confidence", "no"},
    },
}


# How a missing column is named in the problem: its Vietnamese and English headers.
EXAMPLES = {
    "name": "họ và tên / name",
    "high": "tín nhiệm cao / high",
    "medium": "tín nhiệm / medium",
    "low": "tín nhiệm thấp / low",
    "yes": "tín nhiệm / confidence",
    "no": "không tín nhiệm / no_confidence",
}


@dataclass
class TallyFile:
    rows: list[TallyRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass(frozen=True)
class _Columns:
    """The header row and where each known column is in it."""

    header: list[str]
    where: dict[str, int]

    def cell(self, row: list[str], column: str) -> str:
        index = self.where.get(column)
        return row[index] if index is not None and index < len(row) else ""

    def label(self, column: str) -> str:
        return self.header[self.where[column]]


@dataclass
class _Row:
    """One row as read: its counts for the checks and what becomes the candidate."""

    counts: RowCounts
    order: int | None
    full_name: str
    position: str


def parse_tally_file(filename: str, data: bytes, *, procedure: str, collected: int) -> TallyFile:
    """Every row's counts, checked against the number of ballots collected."""
    start, table, problems = read_table(filename, data, is_header=_is_header)
    if problems:
        return TallyFile(problems=problems)
    columns, missing = _locate_columns(table[start], procedure)
    if missing:
        return TallyFile(problems=[_missing_columns(missing, row=start + 1)])
    result = TallyFile()
    rows = _read_rows(table, start, columns, procedure, result.problems)
    checks = tally_import_problems(collected=collected, rows=[row.counts for row in rows])
    result.problems.extend(
        ImportProblem(check.message, row=check.line, column=columns.label(check.field))
        for check in checks
    )
    result.problems.sort(key=lambda problem: problem.row or 0)
    refused = {problem.row for problem in result.problems}
    result.rows = [_tally_row(row) for row in rows if row.counts.line not in refused]
    if not result.rows and not result.problems:
        result.problems.append(ImportProblem(_("the file has a header but no candidates.")))
    return result


def _is_header(row: list[str]) -> bool:
    """The row naming the columns (title rows above it are skipped): it has a name column."""
    return any(normalize_header(cell) in COLUMNS["name"] for cell in row)


def _locate_columns(header: list[str], procedure: str) -> tuple[_Columns, list[str]]:
    """Where each known column is (the first of its names wins), and the required ones missing."""
    wanted = {**COLUMNS, **LEVEL_COLUMNS[procedure]}
    where: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = normalize_header(cell)
        for column, names in wanted.items():
            if key in names and column not in where:
                where[column] = index
    required = ["name", *LEVEL_COLUMNS[procedure]]
    return _Columns(header, where), [c for c in required if c not in where]


def _missing_columns(missing: list[str], *, row: int) -> ImportProblem:
    return ImportProblem(
        _("missing column(s): %(columns)s.")
        % {"columns": ", ".join(f"“{EXAMPLES[c]}”" for c in missing)},
        row=row,
    )


def _read_rows(
    table: list[list[str]],
    start: int,
    columns: _Columns,
    procedure: str,
    problems: list[ImportProblem],
) -> list[_Row]:
    """The rows below the header with a name; blank rows skipped, unreadable cells in problems."""
    rows = []
    for line, row in enumerate(table[start + 1 :], start=start + 2):
        if not any(row):
            continue
        name = columns.cell(row, "name")
        if not name:
            problems.append(
                ImportProblem(_("the full name is empty."), row=line, column=columns.label("name"))
            )
            continue
        rows.append(_read_row(row, line, columns, procedure, problems))
    return rows


def _read_row(
    row: list[str], line: int, columns: _Columns, procedure: str, problems: list[ImportProblem]
) -> _Row:
    def count(column: str) -> int | None:
        value, problem = parse_count(columns.cell(row, column))
        if problem:
            problems.append(ImportProblem(problem, row=line, column=columns.label(column)))
        return value

    counts = {level: count(level) for level in LEVEL_COLUMNS[procedure]}
    invalid = count("invalid") if columns.cell(row, "invalid") else None
    # The order only sorts the rows (a small integer in the model): a huge one sorts last.
    order_text = columns.cell(row, "order").rstrip(".")
    order = int(order_text) if re.fullmatch(r"[0-9]{1,9}", order_text) else None
    full_name, position = columns.cell(row, "name"), columns.cell(row, "position")
    return _Row(
        counts=RowCounts(
            line=line, counts=counts, invalid=invalid, full_name=full_name, position=position
        ),
        order=order,
        full_name=full_name,
        position=position,
    )


def _tally_row(row: _Row) -> TallyRow:
    return TallyRow(
        line=row.counts.line,
        order=row.order,
        full_name=row.full_name,
        position=row.position,
        counts={k: v for k, v in row.counts.counts.items() if v is not None},
        invalid=row.counts.invalid,
    )
