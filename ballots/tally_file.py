"""Reading a tally sheet (counts per candidate) from CSV or XLSX, with row/column problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sessions.imports import ImportProblem, normalize_header, read_table

from .paper import TallyRow

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


@dataclass
class TallyFile:
    rows: list[TallyRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def parse_tally_file(filename: str, data: bytes, *, procedure: str, collected: int) -> TallyFile:
    """Every row's counts, checked against the number of ballots collected."""
    result = TallyFile()
    start, table, problems = read_table(filename, data)
    if problems:
        result.problems.extend(problems)
        return result
    header = table[start]
    wanted = {**COLUMNS, **LEVEL_COLUMNS[procedure]}
    where: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = normalize_header(cell)
        for column, names in wanted.items():
            if key in names and column not in where:
                where[column] = index
    required = ["name", *LEVEL_COLUMNS[procedure]]
    missing = [c for c in required if c not in where]
    if missing:
        examples = {
            "name": "họ và tên / name",
            "high": "tín nhiệm cao / high",
            "medium": "tín nhiệm / medium",
            "low": "tín nhiệm thấp / low",
            "yes": "tín nhiệm / confidence",
            "no": "không tín nhiệm / no_confidence",
        }
        result.problems.append(
            ImportProblem(
                _("missing column(s): %(columns)s.")
                % {"columns": ", ".join(f"“{examples[c]}”" for c in missing)},
                row=start + 1,
            )
        )
        return result

    def cell(row: list[str], column: str) -> str:
        index = where.get(column)
        return row[index] if index is not None and index < len(row) else ""

    def number(row: list[str], column: str, line: int) -> int | None:
        text = cell(row, column).replace(" ", "")
        label = header[where[column]]
        # ASCII digits only: "²".isdigit() is true but int() refuses it, and so is "--5".
        if not re.fullmatch(r"-?[0-9]+", text):
            result.problems.append(
                ImportProblem(
                    _("“%(value)s” is not a whole number.") % {"value": text},
                    row=line,
                    column=label,
                )
            )
            return None
        value = int(text)
        if value < 0:
            result.problems.append(
                ImportProblem(_("a count cannot be negative."), row=line, column=label)
            )
            return None
        if value > collected:
            result.problems.append(
                ImportProblem(
                    _("%(value)d is more than the %(collected)d ballots collected.")
                    % {"value": value, "collected": collected},
                    row=line,
                    column=label,
                )
            )
            return None
        return value

    for offset, row in enumerate(table[start + 1 :]):
        line = start + 2 + offset
        if not any(row):
            continue
        name = cell(row, "name")
        if not name:
            result.problems.append(
                ImportProblem(_("the full name is empty."), row=line, column=header[where["name"]])
            )
            continue
        counts = {level: number(row, level, line) for level in LEVEL_COLUMNS[procedure]}
        invalid = number(row, "invalid", line) if cell(row, "invalid") else None
        order = None
        if cell(row, "order"):
            order_text = cell(row, "order").rstrip(".")
            order = int(order_text) if re.fullmatch(r"[0-9]+", order_text) else None
        if any(v is None for v in counts.values()):
            continue
        total = sum(v for v in counts.values() if v is not None)
        if total + (invalid or 0) > collected:
            result.problems.append(
                ImportProblem(
                    _(
                        "the counts add up to %(total)d, more than the %(collected)d ballots "
                        "collected."
                    )
                    % {"total": total + (invalid or 0), "collected": collected},
                    row=line,
                    column=header[where["name"]],
                )
            )
            continue
        if invalid is not None and total + invalid != collected:
            result.problems.append(
                ImportProblem(
                    _(
                        "the levels and invalid lines add up to %(total)d, not the %(collected)d "
                        "ballots collected."
                    )
                    % {"total": total + invalid, "collected": collected},
                    row=line,
                    column=header[where["invalid"]],
                )
            )
            continue
        result.rows.append(
            TallyRow(
                line=line,
                order=order,
                full_name=name,
                position=cell(row, "position"),
                counts={k: v for k, v in counts.items() if v is not None},
                invalid=invalid,
            )
        )
    if not result.rows and not result.problems:
        result.problems.append(ImportProblem(_("the file has a header but no candidates.")))
    return result
