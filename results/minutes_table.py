"""The minutes' per-person table, drawn in PDF operators in rows that WeasyPrint lays out empty.

WeasyPrint spends about 8 ms on each row of nine cells, however they are styled: the minutes of
200 people took 2–4 s, nearly all of it in the table (issue 15). So each body row reaches
WeasyPrint empty, as tall as its text will need (`plan`); WeasyPrint still paginates the rows,
repeats the header on every page, places what follows the table and draws everything else. Then
`stamps` reads where each row landed, and the finisher draws its rules and text there, in the
bundled Liberation Serif (results/table_font.py), each row put into the page's content where its
text belongs in reading order: after the text above it, before the text below it and the
running heads, so that copying, searching and screen readers read the table in place.

The layout mirrors `table.results` in templates/pdf/_document_style.html (size, leading, padding,
rules, column widths; a test holds the two together): lines break at spaces, measured with the
font's advance widths, a word wider than its column at the letter; each cell is centred
vertically, numbers right-aligned, a level's count bold over its percentage. WeasyPrint lays out
as before, in the same table, a row holding a character outside the font's cut (an emoji,
another script, a soft hyphen), so nothing prints as an empty box, and a row too tall for a
page, which only WeasyPrint can split across pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pydyf
from django.utils.formats import localize
from weasyprint.formatting_structure import boxes

from .minutes_document import MinutesRow
from .table_font import FILES, Face, face, font_object
from .templatetags.results_tags import pct

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75  # PDF points per CSS pixel
# As table.results and @page in _document_style.html (tests/results/test_minutes_table.py).
SIZE = 11.5  # pt
LEADING = 1.35 * SIZE  # body { line-height: 1.35 }
PAD_X, PAD_Y = 1.0 * MM, 1.2 * MM
RULE = 0.3 * MM
TABLE_WIDTH = 160  # mm: A4's 210 less the margins of 30 and 20
COLUMNS = {"stt": 10.5, "name": 31, "position": 29, "count": 14.5}  # mm, the <col> widths

# The tallest row drawn: with the header it fits a page (257 mm between the margins); a taller
# one, which WeasyPrint alone can split, is left to it.
MAX_HEIGHT = 180 * MM
SPACES = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; a no-break space stays in its word

# --- Planning: what each row says, and how many lines it takes ----------------------------------


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]
    align: str  # "left", "center" or "right"
    bold_first: bool = False  # a level's count, over its percentage


@dataclass(frozen=True)
class DrawnRow:
    cells: tuple[Cell, ...]
    lines: int

    @property
    def height(self) -> float:
        """The row's height in points, rules included."""
        return self.lines * LEADING + 2 * PAD_Y + RULE


def column_widths(levels: int) -> list[float]:
    """The columns' widths in mm, as the <colgroup> of templates/pdf/minutes.html sets them."""
    fixed = COLUMNS["stt"] + COLUMNS["name"] + COLUMNS["position"] + 2 * COLUMNS["count"]
    level = (TABLE_WIDTH - fixed) / levels
    return [COLUMNS["stt"], COLUMNS["name"], COLUMNS["position"], *[level] * levels] + [
        COLUMNS["count"]
    ] * 2


def wrap(text: str, width: float, font: Face) -> tuple[str, ...]:
    """Greedy lines of at most `width` points; a word wider than a line breaks at a letter."""
    lines: list[str] = []
    line = ""
    for word in SPACES.split(text.strip()):
        if not word:
            continue
        candidate = f"{line} {word}" if line else word
        if font.width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for letter in word:
            if line and font.width(line + letter) > width:
                lines.append(line)
                line = ""
            line += letter
    if line:
        lines.append(line)
    return tuple(lines)


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


def plan_row(row: MinutesRow, widths_mm: list[float]) -> DrawnRow | None:
    """The row as drawn, or None (WeasyPrint lays it out): a character outside the cut, or too
    tall for a page."""
    regular, bold = face("regular"), face("bold")
    texts = _texts(row)
    if not all(regular.covers(t) and bold.covers(t) for cell in texts for t in cell):
        return None
    room = [w * MM - 2 * PAD_X - RULE for w in widths_mm]
    levels = len(row.line.levels)
    cells = [
        Cell(texts[0], "center"),
        Cell(wrap(texts[1][0], room[1], regular), "left"),
        Cell(wrap(texts[2][0], room[2], regular), "left"),
        *[Cell(texts[3 + i], "right", bold_first=True) for i in range(levels)],
        Cell(texts[-2], "right"),
        Cell(texts[-1], "right"),
    ]
    drawn = DrawnRow(tuple(cells), max(1, *(len(c.lines) for c in cells)))
    return drawn if drawn.height <= MAX_HEIGHT else None


@dataclass(frozen=True)
class TablePlan:
    rows: list[tuple[MinutesRow, DrawnRow | None]]

    @property
    def template_rows(self) -> list[tuple[MinutesRow, int]]:
        """(row, lines): the template leaves a row of `lines` lines empty, lays out a 0 itself."""
        return [(row, drawn.lines if drawn else 0) for row, drawn in self.rows]

    @property
    def heights(self) -> list[tuple[int, str]]:
        """(lines, CSS height) for each height of row the table has."""
        seen = sorted({drawn.lines: drawn.height for _, drawn in self.rows if drawn}.items())
        return [(lines, f"{height:.3f}pt") for lines, height in seen]

    def finisher(self, document) -> Callable:
        return _finisher(stamps(document, [drawn for _, drawn in self.rows]))


def plan(rows: list[MinutesRow], levels: int) -> TablePlan:
    widths = column_widths(levels)
    return TablePlan([(row, plan_row(row, widths)) for row in rows])


# --- Drawing: where WeasyPrint put each empty row ------------------------------------------------


@dataclass(frozen=True)
class PageStamp:
    """The drawn rows of one page: where its table starts and each row's top (CSS px from the
    page's top), with the row's operators in the page's default space."""

    table_top: float
    rows: list[tuple[float, bytes]]


def _classes(box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


def stamps(document, drawn: list[DrawnRow | None]) -> dict[int, PageStamp]:
    """Per page index, the rows laid out on it."""
    out = {}
    for number, page in enumerate(document.pages):
        table, rows = None, []
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and "results" in _classes(box):
                table = box
            elif isinstance(box, boxes.TableRowBox) and "drawn" in _classes(box):
                row = drawn[int(box.element.get("data-row"))]
                operators = "\n".join(_row_operators(row, table, box, page.height * PX))
                rows.append((box.position_y, operators.encode("ascii")))
        if rows:
            out[number] = PageStamp(table.position_y, rows)
    return out


def _row_operators(row: DrawnRow, table, box, page_height: float) -> Iterable[str]:
    """The row's rules and text, in the page's default space (points, origin bottom left)."""
    xs = [x * PX for x in table.column_positions]
    xs.append((table.column_positions[-1] + table.column_widths[-1]) * PX)
    top = page_height - box.position_y * PX
    bottom = top - box.height * PX
    half = RULE / 2
    yield f"0 g 0 G {RULE:.3f} w {xs[0] - half:.3f} {top:.3f} m {xs[-1] + half:.3f} {top:.3f} l"
    yield f"{xs[0] - half:.3f} {bottom:.3f} m {xs[-1] + half:.3f} {bottom:.3f} l"
    yield " ".join(f"{x:.3f} {top:.3f} m {x:.3f} {bottom:.3f} l" for x in xs) + " S"
    regular, bold = face("regular"), face("bold")
    content = box.height * PX - 2 * PAD_Y - RULE
    # Where Pango puts a baseline in a line box: half the leading, then the ascent.
    first = (LEADING - (regular.ascent - regular.descent) * SIZE / 1000) / 2
    first += regular.ascent * SIZE / 1000
    for cell, left, right in zip(row.cells, xs, xs[1:], strict=False):
        x0, x1 = left + half + PAD_X, right - half - PAD_X
        y = top - half - PAD_Y - (content - len(cell.lines) * LEADING) / 2 - first
        for i, text in enumerate(cell.lines):
            font = bold if cell.bold_first and i == 0 else regular
            width = font.width(text)
            x = {"left": x0, "right": x1 - width, "center": (x0 + x1 - width) / 2}[cell.align]
            yield (
                f"BT /{font.resource} {SIZE} Tf {x:.3f} {y - i * LEADING:.3f} Td "
                f"<{font.encode(text)}> Tj ET"
            )


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


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: `m cm` with n current gives m × n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def splice(chunks: list, stamp: PageStamp) -> list:
    """The page's operators with each row put before the first text set below its top, or
    before the running heads (text above the table, set after it), or else at the end.

    WeasyPrint writes a page's text in document order and its margin boxes last, each text
    positioned by `a b c d e y Tm` in its CSS pixels from the page's top. A row goes in as
    `q <the inverse of the current matrix> cm … Q`, between text objects (one open there is
    ended and begun again), so that it draws in the default space and changes no state."""
    out: list = []
    pending = list(stamp.rows)
    stack: list[Matrix] = []
    ctm, in_text, started = IDENTITY, False, False

    def put(operators: bytes) -> None:
        inverse = " ".join(f"{round(v, 6) + 0.0:.6f}" for v in _inverse(ctm))
        out.extend([b"ET"] * in_text + [b"q", f"{inverse} cm".encode(), operators, b"Q"])
        out.extend([b"BT"] * in_text)

    for chunk in chunks:
        if pending and isinstance(chunk, bytes) and chunk.endswith(b" Tm"):
            y = float(chunk.split()[5])
            started = started or y >= stamp.table_top
            while started and pending and (y > pending[0][0] or y < stamp.table_top):
                put(pending.pop(0)[1])
        out.append(chunk)
        if chunk == b"q":
            stack.append(ctm)
        elif chunk == b"Q" and stack:
            ctm = stack.pop()
        elif chunk in (b"BT", b"ET"):
            in_text = chunk == b"BT"
        elif isinstance(chunk, bytes) and chunk.endswith(b" cm"):
            ctm = _times(tuple(float(v) for v in chunk.split()[:6]), ctm)
    for _top, operators in pending:
        put(operators)
    return out
