"""The checks on a counted tally brought in whole (a paper tally sheet from a file), in one place.

The import form, the `import_tally` command and the file reader (tally_file.py) all call
`tally_import_problems`: the figures (collected ≤ issued ≤ summoned, present ≤ summoned, a
summoned count where the regime divides by it) and each row of the file (a name and position
that fit the model, no count above the ballots collected, and the levels with the invalid lines
adding up to them); the form and the command call `committee_problems` for the committee typed.
Every count typed or read, here and in the tally sheet typed in for a session's own paper
ballots (checked by `paper.tally_problems`), is read by `parse_count` or held to
`count_validator`: at most MAX_COUNT.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sessions.imports import clean_text
from sessions.models import Candidate, CommitteeMember, Official
from sessions.regimes import needs_summoned
from sessions.selectors import same_person

# The counts and figures are PositiveIntegerField: a PostgreSQL integer, at most 2³¹ − 1. SQLite
# would store more, so the bound is checked here, the same on both databases, before any save.
MAX_COUNT = 2**31 - 1
MAX_NAME = Official._meta.get_field("full_name").max_length
MAX_MEMBER_NAME = CommitteeMember._meta.get_field("full_name").max_length
MAX_MEMBER_UNIT = CommitteeMember._meta.get_field("unit").max_length
MAX_POSITION = min(
    Candidate._meta.get_field("position").max_length,
    Official._meta.get_field("positions").max_length,
)

MSG_COLLECTED_ABOVE_ISSUED = gettext_noop("More ballots collected than issued.")
MSG_PRESENT_ABOVE_SUMMONED = gettext_noop("More people present than summoned.")
MSG_COMMITTEE_NAME_EMPTY = gettext_noop("“%(line)s”: the full name is empty.")
MSG_COMMITTEE_TWICE = gettext_noop("%(name)s is named twice on the committee.")
MSG_ISSUED_ABOVE_SUMMONED = gettext_noop("More ballots issued than people summoned.")
MSG_SUMMONED_REQUIRED = gettext_noop(
    "Required under this legal basis: percentages are over all members summoned."
)
MSG_NO_ONE_SUMMONED = gettext_noop("At least one person is summoned.")
MSG_COUNT_ABOVE_COLLECTED = gettext_noop(
    "%(value)d is more than the %(collected)d ballots collected."
)
MSG_SUM_ABOVE_COLLECTED = gettext_noop(
    "the counts add up to %(total)d, more than the %(collected)d ballots collected."
)
MSG_SUM_NOT_COLLECTED = gettext_noop(
    "the levels and invalid lines add up to %(total)d, not the %(collected)d ballots collected."
)
MSG_NOT_A_COUNT = gettext_noop("“%(value)s” is not a whole number.")
MSG_NEGATIVE = gettext_noop("a count cannot be negative.")
MSG_TOO_LARGE = gettext_noop("Too large: at most %(limit_value)s.")
MSG_TOO_LONG = gettext_noop("longer than %(max)d characters.")
MSG_COMMITTEE_TOO_MANY = gettext_noop("A counting committee of at most %(max)d people.")
MSG_DATE_OUT_OF_RANGE = gettext_noop("The date must be between %(first)s and %(last)s.")

# A counting committee is a handful of people (each gets a signing space in the minutes).
MAX_COMMITTEE = 30
# Imports record sessions from the first annual ratings (2013) on; nothing before 1980 or after
# today is a real date of a count already held.
FIRST_DATE = datetime.date(1980, 1, 1)

# For form fields holding a count or a figure.
count_validator = MaxValueValidator(MAX_COUNT, message=gettext_lazy(MSG_TOO_LARGE))


def parse_count(text: str) -> tuple[int | None, str]:
    """A count typed or read from a cell, or None and why not.

    ASCII digits only: "²".isdigit() is true but int() refuses it, and int() would take "١٢".
    The length is checked before int(), which refuses more than 4300 digits with an error.
    """
    text = text.replace(" ", "")
    if not re.fullmatch(r"-?[0-9]+", text):
        return None, _(MSG_NOT_A_COUNT) % {"value": text[:50]}
    if text.startswith("-"):
        return None, _(MSG_NEGATIVE)
    if len(text.lstrip("0")) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        return None, _(MSG_TOO_LARGE) % {"limit_value": MAX_COUNT}
    return int(text), ""


@dataclass(frozen=True)
class RowCounts:
    """One row of a tally file as read: its counts, before they are checked."""

    line: int
    counts: Mapping[str, int | None]  # level → count; None where the cell could not be read
    invalid: int | None  # None when the column is absent or empty (or unreadable)
    full_name: str = ""
    position: str = ""


@dataclass(frozen=True)
class TallyProblem:
    """What is wrong and where: a figure, or a row's column (a level, "invalid" or "name")."""

    field: str
    message: str
    line: int | None = None


def committee_member(text: str) -> tuple[str, str]:
    """A committee member as typed for an import, "Full name, position or unit": the name
    before the first comma, the rest as the unit."""
    name, _comma, unit = clean_text(text).partition(",")
    return " ".join(name.split()), " ".join(unit.split())


def committee_rows(*, head: str = "", members: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(full name, unit, role) of the head, if typed, then of each member typed."""
    rows = [(*committee_member(head), "head")] if head.strip() else []
    return rows + [(*committee_member(text), "member") for text in members if text.strip()]


def committee_problems(
    *, head: str = "", members: Iterable[str] = (), field: str = "committee"
) -> list[TallyProblem]:
    """The committee typed for an import: names present, not too long, nobody twice. (Whether
    a member is also rated is checked when the session is created, against its candidates.)"""
    problems = []
    seen: list[str] = []
    typed = [t for t in [head, *members] if t.strip()]
    if len(typed) > MAX_COMMITTEE:
        return [TallyProblem(field, _(MSG_COMMITTEE_TOO_MANY) % {"max": MAX_COMMITTEE})]
    for text in typed:
        name, unit = committee_member(text)
        if not name:
            problems.append(TallyProblem(field, _(MSG_COMMITTEE_NAME_EMPTY) % {"line": text}))
        elif len(name) > MAX_MEMBER_NAME or len(unit) > MAX_MEMBER_UNIT:
            limit = MAX_MEMBER_NAME if len(name) > MAX_MEMBER_NAME else MAX_MEMBER_UNIT
            problems.append(
                TallyProblem(field, f"{name[:40]}: " + _(MSG_TOO_LONG) % {"max": limit})
            )
        elif same_person(name, seen):
            problems.append(TallyProblem(field, _(MSG_COMMITTEE_TWICE) % {"name": name}))
        seen.append(name)
    return problems


def date_problems(date: datetime.date | None, field: str = "date") -> list[TallyProblem]:
    """An imported session's date: from 1980 to today (a count is imported after it happened,
    and its resolution's adoption, recorded later, cannot predate it)."""
    last = timezone.localdate()
    if date is None or FIRST_DATE <= date <= last:
        return []
    span = {"first": FIRST_DATE.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}
    return [TallyProblem(field, _(MSG_DATE_OUT_OF_RANGE) % span)]


def tally_import_problems(
    *,
    collected: int | None,
    regime: str = "",
    issued: int | None = None,
    summoned: int | None = None,
    present: int | None = None,
    rows: Iterable[RowCounts] = (),
) -> list[TallyProblem]:
    """Every check on an imported tally: its figures, then each row against `collected`."""
    problems = _figure_problems(
        regime=regime, collected=collected, issued=issued, summoned=summoned, present=present
    )
    for row in rows:
        problems.extend(_text_problems(row))
        if collected is not None and collected <= MAX_COUNT:
            problems.extend(_row_problems(row, collected))
    return problems


def _text_problems(row: RowCounts) -> list[TallyProblem]:
    """A name or position longer than the model stores (PostgreSQL would refuse it, SQLite not)."""
    return [
        TallyProblem(column, _(MSG_TOO_LONG) % {"max": limit}, row.line)
        for column, text, limit in (
            ("name", row.full_name, MAX_NAME),
            ("position", row.position, MAX_POSITION),
        )
        if len(text) > limit
    ]


def _figure_problems(
    *,
    regime: str,
    collected: int | None,
    issued: int | None,
    summoned: int | None,
    present: int | None = None,
) -> list[TallyProblem]:
    figures = {"collected": collected, "issued": issued, "summoned": summoned, "present": present}
    problems = [
        TallyProblem(name, _(MSG_TOO_LARGE) % {"limit_value": MAX_COUNT})
        for name, value in figures.items()
        if value is not None and value > MAX_COUNT
    ]
    if problems:
        return problems
    if present is not None and summoned is not None and present > summoned:
        problems.append(TallyProblem("present", _(MSG_PRESENT_ABOVE_SUMMONED)))
    if collected is not None and issued is not None and collected > issued:
        problems.append(TallyProblem("collected", _(MSG_COLLECTED_ABOVE_ISSUED)))
    if issued is not None and summoned is not None and issued > summoned:
        problems.append(TallyProblem("issued", _(MSG_ISSUED_ABOVE_SUMMONED)))
    if summoned is not None and summoned < 1:
        problems.append(TallyProblem("summoned", _(MSG_NO_ONE_SUMMONED)))
    elif needs_summoned(regime) and summoned is None:
        problems.append(TallyProblem("summoned", _(MSG_SUMMONED_REQUIRED)))
    return problems


def _row_problems(row: RowCounts, collected: int) -> list[TallyProblem]:
    """No count above the ballots collected; if none is, the sums (an unread cell stops here)."""
    cells = {**row.counts, "invalid": row.invalid}
    problems = [
        TallyProblem(
            column,
            _(MSG_COUNT_ABOVE_COLLECTED) % {"value": value, "collected": collected},
            row.line,
        )
        for column, value in cells.items()
        if value is not None and value > collected
    ]
    above = {p.field for p in problems}
    if above - {"invalid"} or None in row.counts.values():
        return problems
    total = sum(row.counts.values())
    invalid = None if "invalid" in above else row.invalid
    return problems + _sum_problems(row.line, total, invalid, collected)


def _sum_problems(line: int, total: int, invalid: int | None, collected: int) -> list[TallyProblem]:
    if total + (invalid or 0) > collected:
        params = {"total": total + (invalid or 0), "collected": collected}
        return [TallyProblem("name", _(MSG_SUM_ABOVE_COLLECTED) % params, line)]
    if invalid is not None and total + invalid != collected:
        params = {"total": total + invalid, "collected": collected}
        return [TallyProblem("invalid", _(MSG_SUM_NOT_COLLECTED) % params, line)]
    return []
