"""What the minutes of the count (biên bản kiểm phiếu) print, worked out before the template.

domain.md, "Results and minutes", is the specification, point by point; templates/pdf/minutes.html
lays it out. The heading follows Nghị định 30/2020/NĐ-CP (State bodies) and Hướng dẫn 36-HD/VPTW
(Party bodies) as domain.md describes them. Nothing here decides a figure: the figures are the
result's (`results.tally` live, `results.frozen` once certified).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from ballots.models import CountSheet
from sessions.models import Organization, VotingSession

from .tally import CandidateResult, SessionResult

Kind = Organization.Kind
Mode = VotingSession.Mode

# A blank for a handwritten entry (a time, a number not yet given by the register).
BLANK = "……"
# What older imports stored for "not given"; the documents never print a placeholder dash.
PLACEHOLDERS = {"", "—", "-", "–"}


def given(text: str) -> str:
    """The text, or "" when it is empty or only a placeholder dash."""
    text = (text or "").strip()
    return "" if text in PLACEHOLDERS else text


@dataclass(frozen=True)
class HeadingLine:
    text: str
    bold: bool


def heading_lines(organization: Organization) -> list[HeadingLine]:
    """The left column of the heading: the issuing body (domain.md, minutes point 1).

    A Party body prints the body above it (regular), then its own name (bold); a State body
    (a People's Council) prints its whole name bold; a mass organization, like a Party body,
    its superior body regular and its own name bold. `document_name` ("A / B") gives the lines
    when set; otherwise a Party body with a parent prints the parent's name above its own.
    """
    if organization.document_name:
        lines = organization.document_name_lines()
    elif organization.kind == Kind.PARTY and organization.parent_id:
        lines = [organization.parent.name.upper(), organization.name.upper()]
    else:
        lines = [organization.name.upper()]
    whole_bold = organization.kind == Kind.STATE
    return [
        HeadingLine(line, whole_bold or index == len(lines) - 1) for index, line in enumerate(lines)
    ]


def national_heading(organization: Organization) -> tuple[str, str]:
    """The right column: the Party's name for a Party body; for a State body or a mass
    organization the national name over the motto (domain.md, minutes point 1)."""
    return organization.heading()


def document_number(session: VotingSession) -> str:
    """ "Số: …/BB-BKP" (State, mass), "Số …-BB/<abbreviation>" (Party): the typed number, or a
    blank for the register (domain.md, minutes point 1)."""
    organization = session.organization
    number = given(session.document_number) or BLANK
    if organization.kind == Kind.PARTY:
        return _("No. %(number)s-BB/%(abbreviation)s") % {
            "number": number,
            "abbreviation": given(organization.abbreviation) or BLANK,
        }
    return _("No.: %(number)s/BB-BKP") % {"number": number}


@dataclass(frozen=True)
class Clock:
    """A time of day as the minutes write it ("14 giờ 05 phút"), blanks when unknown."""

    hour: str
    minute: str

    @classmethod
    def of(cls, value: datetime.time | None) -> Clock:
        if value is None:
            return cls(BLANK, BLANK)
        return cls(f"{value.hour:02d}", f"{value.minute:02d}")


@dataclass(frozen=True)
class MinutesRow:
    """A line of the per-person table: each row adds up to the ballots collected.

    valid = the person's marks in a level box; invalid = every other ballot collected (a whole
    invalid ballot counts as invalid for every person on it, and so does a void line).
    """

    line: CandidateResult
    valid: int
    invalid: int
    position: str


def minutes_rows(result: SessionResult) -> list[MinutesRow]:
    rows = []
    for line in result.candidates:
        valid = sum(level.count for level in line.levels)
        rows.append(
            MinutesRow(line, valid, result.collected - valid, given(line.candidate.position))
        )
    return rows


def certifier_name(session: VotingSession, user: AbstractBaseUser | None) -> str:
    """Who certified, as the minutes name them: the committee member the account is linked to,
    else the account's full name or username."""
    if user is None:
        return ""
    member = session.committee.filter(user=user).values_list("full_name", flat=True).first()
    if member:
        return member
    return user.get_full_name() or user.get_username()


def _explanation(session: VotingSession) -> str:
    return (
        CountSheet.objects.filter(session=session).values_list("explanation", flat=True).first()
        or ""
    ).strip()


def minutes_context(result: SessionResult) -> dict[str, Any]:
    """Everything the minutes print besides the figures of the result itself."""
    session = result.session
    organization = session.organization
    # Without a voter list, a summoned count of 0 means nobody recorded it.
    summoned = result.summoned or None
    absent = None
    if summoned is not None and result.present is not None:
        absent = summoned - result.present
    over_issued = (
        result.issued is not None and result.present is not None and result.issued > result.present
    )
    rows = minutes_rows(result)
    return {
        "number_line": document_number(session),
        "sitting": organization.kind == Kind.STATE,  # "Kỳ họp", else "Hội nghị"
        "subject": given(session.subject),
        "place": given(session.place),
        "started": Clock.of(session.count_started_at),
        "ended": Clock.of(session.count_ended_at),
        "member_noun": given(organization.member_noun) or _("people summoned"),
        "summoned": summoned,
        "absent": absent,
        "over_issued": over_issued,
        "explanation": _explanation(session) if over_issued else "",
        "rows": rows,
        # Every row laid out by WeasyPrint, until `minutes_pdf` plans which it draws itself.
        "table_rows": [(row, "") for row in rows],
        "drawn_heights": [],
        "columns": len(session.levels()) + 5,
        "facts": [
            (line.candidate.official.full_name, given(line.candidate.position), line.band.fact)
            for line in result.banded
        ],
        "copies": f"{session.minutes_copies:02d}",
        "paper": session.mode in (Mode.PAPER_BALLOTS, Mode.PAPER_TALLY),
        "has_voter_list": session.voters.exists(),
    }
