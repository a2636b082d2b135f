"""The minutes' per-person table, drawn in PDF operators in rows that WeasyPrint lays out empty.

WeasyPrint spends about 8 ms on each row of nine cells, however they are styled: the minutes of
200 people took 2–4 s, nearly all of it in the table and its header repeated on every page
(issue 15). So the header and each body row reach WeasyPrint empty, as tall as their text will
need (`plan`); WeasyPrint still paginates the rows, repeats the header row, draws the header's
borders, places what follows the table and draws everything else. Then
`stamps` reads where each row landed, and the finisher draws its rules and text there, in the
bundled Liberation Serif (results/table_font.py), each row put into the page's content where its
text belongs in reading order: after the text above it, before the text below it and the
running heads, so that copying, searching and screen readers read the table in place.

The layout mirrors `table.results` in templates/pdf/_document_style.html (size, leading, padding,
rules, column widths; tests hold them together): lines break as `wrap` says, measured with the
font's advance widths and kern pairs; each cell is centred
vertically, numbers right-aligned, a level's count bold over its percentage. WeasyPrint lays out
as before, in the same table, a row holding a character outside the font's cut (an emoji,
another script, a soft hyphen), which then prints as WeasyPrint prints it, and a row too tall
for a page, which only WeasyPrint can split across pages. The text is kerned as Pango kerns it
(the font's GPOS `kern` pairs); ligatures are not formed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import pydyf
import pyphen
from django.utils.formats import localize
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from weasyprint.formatting_structure import boxes

from .minutes_document import MinutesRow
from .page_content import PageStamp, splice
from .table_font import FILES, SIZE, Face, face, font_object
from .templatetags.results_tags import pct

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75  # PDF points per CSS pixel
# As table.results and @page in _document_style.html (tests/results/test_minutes_table.py).
LEADING = 1.35 * SIZE  # body { line-height: 1.35 }
UNIT_SIZE = 9.5  # pt, a level's "số phiếu (%)" under its name
PAD_X, PAD_Y = 1.0 * MM, 1.2 * MM
RULE = 0.3 * MM
# mm: A4's 210 less the page's margins (30, 20), the body's (8 px each side, the user agent
# stylesheet's) and the outer rules' halves; a test checks it against WeasyPrint's layout.
TABLE_WIDTH = 210 - 30 - 20 - 2 * 8 * 25.4 / 96 - 0.3
COLUMNS = {"stt": 10.5, "name": 31, "position": 29, "count": 14.5}  # mm, the <col> widths

# The tallest row drawn: with the header it fits a page (257 mm between the margins); a taller
# one, which WeasyPrint alone can split, is left to it.
MAX_HEIGHT = 180 * MM
SPACES = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; a no-break space stays in its word
# Where a word may break, as Unicode's line breaking (UAX #14) has it: after a hyphen or a slash
# not followed by a digit ("Nguyễn-Trần-|Phạm", "Tài chính/|Kế toán", not "-5", "3/5"), after an
# en dash or U+2010 ("2020–|2025"), on both sides of an em dash ("Dân tộc|—Tôn giáo"); never
# between two dashes.
BREAK_AFTER = re.compile(
    r"(?<=[\u2010\u2013])(?=[^\-\u2010-\u2014])"
    r"|(?<=[\-/])(?=[^\d\-\u2010-\u2014/])"
    r"|(?<=[^\-\u2010-\u2014])(?=\u2014)"
    r"|(?<=\u2014)(?=[^\-\u2010-\u2014])"
)

# --- Planning: what each row says, and how many lines it takes ----------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    size: float = SIZE

    @property
    def leading(self) -> float:
        return 1.35 * self.size  # body { line-height: 1.35 }, a number: each size its own


@dataclass(frozen=True)
class Cell:
    lines: tuple[Line, ...]
    align: str  # "left", "center" or "right"

    @property
    def height(self) -> float:
        return sum(line.leading for line in self.lines)


@dataclass(frozen=True)
class DrawnRow:
    cells: tuple[Cell, ...]
    rules: bool = True  # a body row's own; the header's cells keep WeasyPrint's borders

    @property
    def height(self) -> float:
        """The row's height in points, rules included (one line at least)."""
        return max(LEADING, *(cell.height for cell in self.cells)) + 2 * PAD_Y + RULE

    @property
    def key(self) -> str:
        """The row's class in the template: its height in thousandths of a point ("h45678"), a
        string so that no number formatting of the language touches it."""
        return f"h{round(self.height * 1000)}"


def column_widths(levels: int) -> list[float]:
    """The columns' widths in mm, as the <colgroup> of templates/pdf/minutes.html sets them."""
    fixed = COLUMNS["stt"] + COLUMNS["name"] + COLUMNS["position"] + 2 * COLUMNS["count"]
    level = (TABLE_WIDTH - fixed) / levels
    return [COLUMNS["stt"], COLUMNS["name"], COLUMNS["position"], *[level] * levels] + [
        COLUMNS["count"]
    ] * 2


def wrap(
    text: str, width: float, font: Face, size: float = SIZE, language: str | None = None
) -> tuple[str, ...]:
    """Greedy lines of at most `width` points: broken at spaces, else after a hyphen, a dash or a
    slash inside a word (not before a digit); with a `language` (the header's `hyphens: auto`)
    a word is hyphenated as WeasyPrint would (pyphen's patterns, two letters each side, "‐"),
    and what still does not fit breaks at a letter."""
    lines: list[str] = []
    line = ""
    for word in SPACES.split(text.strip()):
        for n, piece in enumerate(p for p in BREAK_AFTER.split(word) if p):
            space = " " if n == 0 and line else ""
            while piece:
                if font.width(line + space + piece, size) <= width:
                    line, piece = line + space + piece, ""
                    continue
                head, rest = _hyphenated(line + space, piece, width, font, size, language)
                if head:
                    lines.append(head)
                    line, space, piece = "", "", rest
                elif line:
                    lines.append(line)
                    line, space = "", ""
                else:  # alone on a line and still too wide: at a letter
                    fits = [i for i in range(1, len(piece)) if font.width(piece[:i], size) <= width]
                    cut = fits[-1] if fits else 1
                    lines.append(piece[:cut])
                    piece = piece[cut:]
    if line:
        lines.append(line)
    return tuple(lines)


@lru_cache(maxsize=4)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(language)
    return pyphen.Pyphen(lang=found, left=2, right=2) if found else None


def _hyphenated(
    before: str, piece: str, width: float, font: Face, size: float, language: str | None
) -> tuple[str, str]:
    """The longest start of `piece` that fits after `before` with a hyphen, and the rest; or
    ("", piece). WeasyPrint's `hyphenate-limit-chars: auto`: words of five letters or more."""
    dictionary = _dictionary(language) if language and len(piece) >= 5 else None
    if dictionary is None or not piece.isalpha():
        return "", piece
    for start, rest in dictionary.iterate(piece):
        if font.width(before + start + "‐", size) <= width:
            return before + start + "‐", rest
    return "", piece


def _texts(row: MinutesRow) -> list[tuple[str, ...]]:
    name = unicodedata.normalize("NFC", row.line.candidate.official.full_name)
    position = unicodedata.normalize("NFC", row.position)
    levels = [(localize(lr.count), pct(lr.percent)) for lr in row.line.levels]
    return [
        (localize(row.line.number),),
        (name,),
        (position,),
        *levels,
        (localize(row.valid),),
        (localize(row.invalid),),
    ]


def _lines(texts: tuple[str, ...], bold_first: bool = False) -> tuple[Line, ...]:
    return tuple(Line(text, bold=bold_first and i == 0) for i, text in enumerate(texts))


def plan_row(row: MinutesRow, widths_mm: list[float]) -> DrawnRow | None:
    """The row as drawn, or None (WeasyPrint lays it out): a character outside the cut, or too
    tall for a page."""
    regular, bold = face("regular"), face("bold")
    texts = _texts(row)
    if not all(regular.covers(t) and bold.covers(t) for cell in texts for t in cell):
        return None
    room = _room(widths_mm)
    levels = len(row.line.levels)
    cells = [
        Cell(_lines(texts[0]), "center"),
        Cell(_lines(wrap(texts[1][0], room[1], regular)), "left"),
        Cell(_lines(wrap(texts[2][0], room[2], regular)), "left"),
        *[Cell(_lines(texts[3 + i], bold_first=True), "right") for i in range(levels)],
        Cell(_lines(texts[-2]), "right"),
        Cell(_lines(texts[-1]), "right"),
    ]
    drawn = DrawnRow(tuple(cells))
    return drawn if drawn.height <= MAX_HEIGHT else None


def _room(widths_mm: list[float]) -> list[float]:
    """Each column's width for text, in points: less the padding and the rules' halves."""
    return [w * MM - 2 * PAD_X - RULE for w in widths_mm]


def plan_head(levels: list[tuple[str, str]], widths_mm: list[float]) -> DrawnRow | None:
    """The header row as drawn: each label bold and centred, a level's unit in UNIT_SIZE below
    it; the words are templates/pdf/minutes.html's, translated alike. None: WeasyPrint's."""
    labels = [_("No."), _("Full name"), _("Position(s)"), *[label for _v, label in levels]]
    labels += [_("Valid for the person"), _("Invalid for the person")]
    unit = _("ballots (%%)") % ()  # the template's msgid: {% translate %} escapes the %
    units = ["", "", "", *[unit] * len(levels), "", ""]
    regular, bold = face("regular"), face("bold")
    language = get_language()  # th { hyphens: auto }, in the document's language
    if not all(bold.covers(t + "‐") for t in labels) or not all(regular.covers(t) for t in units):
        return None
    cells = []
    for label, unit, room in zip(labels, units, _room(widths_mm), strict=True):
        lines = [Line(t, bold=True) for t in wrap(label, room, bold, language=language)]
        lines += [Line(t, size=UNIT_SIZE) for t in wrap(unit, room, regular, UNIT_SIZE)]
        cells.append(Cell(tuple(lines), "center"))
    return DrawnRow(tuple(cells), rules=False)


@dataclass(frozen=True)
class TablePlan:
    head: DrawnRow | None
    rows: list[tuple[MinutesRow, DrawnRow | None]]

    @property
    def template_rows(self) -> list[tuple[MinutesRow, str]]:
        """(row, key): the template leaves a row of that height empty, lays out a "" itself."""
        return [(row, drawn.key if drawn else "") for row, drawn in self.rows]

    @property
    def heights(self) -> list[tuple[str, str]]:
        """(key, CSS height) for each height of drawn row the table has, the header's too."""
        drawn = [d for _row, d in self.rows if d] + ([self.head] if self.head else [])
        seen = sorted({row.key: row.height for row in drawn}.items())
        return [(key, f"{height:.3f}pt") for key, height in seen]

    @property
    def ends_drawn(self) -> bool:
        """The last row is drawn: the table's bottom rule, half below the row, needs room."""
        return bool(self.rows) and self.rows[-1][1] is not None

    def finisher(self, document) -> Callable:
        return _finisher(stamps(document, self.head, [drawn for _, drawn in self.rows]))


def plan(rows: list[MinutesRow], levels: list[tuple[str, str]]) -> TablePlan:
    widths = column_widths(len(levels))
    return TablePlan(plan_head(levels, widths), [(row, plan_row(row, widths)) for row in rows])


# --- Drawing: where WeasyPrint put each empty row ------------------------------------------------


def _classes(box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


def stamps(document, head: DrawnRow | None, drawn: list[DrawnRow | None]) -> dict[int, PageStamp]:
    """Per page index, the rows laid out on it (the header, repeated, on each)."""
    out = {}
    for number, page in enumerate(document.pages):
        table, rows = None, []
        for box in page._page_box.descendants():
            classes = _classes(box)
            if isinstance(box, boxes.TableBox) and "results" in classes:
                table = box
            elif isinstance(box, boxes.TableRowBox) and "drawn" in classes:
                row = head if "head" in classes else drawn[int(box.element.get("data-row"))]
                operators = "\n".join(_row_operators(row, table, box, page.height * PX))
                rows.append((box.position_y, operators.encode("ascii")))
        if rows:
            top = page._page_box.content_box_y()
            out[number] = PageStamp(rows, (top, top + page._page_box.height))
    return out


def _row_operators(row: DrawnRow, table, box, page_height: float) -> Iterable[str]:
    """The row's rules and text, in the page's default space (points, origin bottom left)."""
    xs = [x * PX for x in table.column_positions]
    xs.append((table.column_positions[-1] + table.column_widths[-1]) * PX)
    top = page_height - box.position_y * PX
    bottom = top - box.height * PX
    half = RULE / 2
    yield "0 g 0 G"
    if row.rules:
        yield f"{RULE:.3f} w {xs[0] - half:.3f} {top:.3f} m {xs[-1] + half:.3f} {top:.3f} l"
        yield f"{xs[0] - half:.3f} {bottom:.3f} m {xs[-1] + half:.3f} {bottom:.3f} l"
        yield " ".join(f"{x:.3f} {top:.3f} m {x:.3f} {bottom:.3f} l" for x in xs) + " S"
    content = box.height * PX - 2 * PAD_Y - RULE
    for cell, left, right in zip(row.cells, xs, xs[1:], strict=False):
        x0, x1 = left + half + PAD_X, right - half - PAD_X
        y = top - half - PAD_Y - (content - cell.height) / 2
        for line in cell.lines:
            font = face("bold" if line.bold else "regular")
            # Where Pango puts a baseline in a line box: half the leading, then the ascent.
            ascent = font.ascent * line.size / 1000
            baseline = y - (line.leading - (font.ascent - font.descent) * line.size / 1000) / 2
            baseline -= ascent
            width = font.width(line.text, line.size)
            x = {"left": x0, "right": x1 - width, "center": (x0 + x1 - width) / 2}[cell.align]
            yield (
                f"BT /{font.resource} {line.size} Tf {x:.3f} {baseline:.3f} Td "
                f"{font.shown(line.text)} TJ ET"
            )
            y -= line.leading


def _finisher(page_stamps: dict[int, PageStamp]) -> Callable:
    """WeasyPrint's finisher: each page's rows put into its content, in reading order."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        if not page_stamps:
            return
        pages = [pdf.objects[int(number)] for number in pdf.pages["Kids"][::3]]
        references = {style: font_object(pdf, face(style)) for style in FILES}
        for index, stamp in page_stamps.items():
            page = pages[index]
            resources = pdf.objects[_number(page["Resources"])]
            fonts = resources.setdefault("Font", pydyf.Dictionary())
            if not isinstance(fonts, pydyf.Dictionary):
                fonts = pdf.objects[_number(fonts)]
            for style, reference in references.items():
                fonts[face(style).resource] = reference
            content = pdf.objects[_number(page["Contents"])]
            content.stream[:] = splice(content.stream, stamp)

    return finish


def _number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])
