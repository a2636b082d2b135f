"""The shape of a document after the count (results/after_count.py builds them): a heading,
a title, paragraphs and tables, the closing. The PDF templates (templates/pdf/_paper_*.html) and
the .docx writer (results/docx_documents.py) lay out the same `Paper`, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def pct(value: Decimal) -> str:
    """53.19 → "53,19%" in Vietnamese (the interface language's decimal mark)."""
    return f"{number_format(value, 2, use_l10n=True)}%"


@dataclass(frozen=True)
class Head:
    """The two-column heading: NĐ 30/2020 (State, mass organizations), HD 36-HD/VPTW (Party)."""

    org_lines: list[str]
    bold_all: bool  # a People's Council prints its whole name bold (domain.md, the minutes, 1.)
    star: bool  # a Party body: a "*" beneath its name
    heading: str
    motto: str
    number: str  # "Số: …/BC-…"; empty: no number line
    date_line: str


@dataclass(frozen=True)
class Column:
    label: str
    unit: str = ""
    width: float = 0  # mm; 0: what is left
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list[tuple[str, ...]]]  # each cell: its lines, the first one the main figure

    @property
    def laid_out(self) -> list[list[tuple[tuple[str, ...], bool]]]:
        """Each row's cells with whether the cell is a figure (centred, not wrapped)."""
        return [
            [(cell, column.numeric) for cell, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


@dataclass(frozen=True)
class Para:
    text: str
    lead: str = ""  # a bold lead-in: "Kính gửi:", "Điều 1."
    bold: bool = False
    italic: bool = False
    center: bool = False

    @property
    def keep_with_next(self) -> bool:
        """A heading alone ("Kết quả:", "Điều 2.") stays with what follows it."""
        return bool(self.lead) and not self.text or self.center


@dataclass
class Paper:
    kind: str  # "announcement", "report", "resolution"
    head: Head
    title: str
    subtitle: str
    blocks: list[Para | Table] = field(default_factory=list)
    recipients: list[str] | None = None  # None: no "Nơi nhận" block
    signer: list[str] = field(default_factory=list)  # bold lines: "TM. …", the title
    signer_name: str = ""
    draft: bool = False
    landscape: bool = False
    draft_mark: str = ""
    recipients_label: str = ""

    def __post_init__(self) -> None:
        self.draft_mark = _("DRAFT FOR ADOPTION")
        self.recipients_label = _("Recipients:")
