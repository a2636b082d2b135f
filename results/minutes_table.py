"""The minutes' per-person table, drawn in PDF operators over rows that WeasyPrint lays out empty.

WeasyPrint spends about 8 ms on each row of nine cells, however they are styled: the minutes of
200 people took 2–4 s, nearly all of it in the table (issue 15). So each body row reaches
WeasyPrint empty, as tall as its text will need (`plan`); WeasyPrint still paginates the rows,
repeats the header on every page, places what follows the table and draws everything else. Then
`stamps` reads where each row landed and draws its rules and its text there, in the bundled
Liberation Serif (the files WeasyPrint sets the rest in, cut once per process to Latin and
Vietnamese), and the finisher lays those operators over the pages.

The layout mirrors `table.results` in templates/pdf/_document_style.html (size, leading, padding,
rules, column widths; a test holds the two together): lines break at spaces, measured with the
font's advance widths, a word wider than its column at the letter; each cell is centred
vertically, numbers right-aligned, a level's count bold over its percentage. A row with a
character outside the cut (an emoji, a combining mark with no precomposed letter) is laid out by
WeasyPrint as before, in the same table, so nothing ever prints as an empty box.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import pydyf
from django.conf import settings
from django.utils.formats import localize
from fontTools import subset
from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes

from .minutes_document import MinutesRow
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

# What the cut keeps: Basic Latin, Latin-1, Latin Extended-A and B (ơ, ư), the Vietnamese
# letters of Latin Extended Additional, general punctuation (– ‘ ” …), ‰ and the đồng sign. Not
# the soft hyphen, line separators and direction marks, which a layout engine must interpret.
CUT = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2028)]
    + [0x2030, 0x20AB]
) - {0xAD}
SPACES = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; a no-break space stays in its word


@dataclass(frozen=True)
class Face:
    """One style of the bundled serif: its metrics, and its program cut to `CUT`."""

    resource: str  # the font's name in the pages' resources
    base_font: str  # as pdffonts lists it; WeasyPrint names its own cut of the same file alike
    gids: dict[str, int]
    advances: dict[str, float]  # per 1,000 units of the em
    ascent: float
    descent: float  # negative
    cap_height: float
    bbox: tuple[float, float, float, float]
    program: bytes

    def covers(self, text: str) -> bool:
        return all(c in self.gids for c in text)

    def width(self, text: str, size: float = SIZE) -> float:
        return sum(self.advances[c] for c in text) * size / 1000

    def encode(self, text: str) -> str:
        return "".join(f"{self.gids[c]:04x}" for c in text)


FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf"}
NAMES = {
    "regular": ("TNTableR", "TNTBLR+Tinnhiem-Serif"),
    "bold": ("TNTableB", "TNTBLB+Tinnhiem-Serif-Bold"),
}


@lru_cache(maxsize=2)
def face(style: str) -> Face:
    """The style's face, read and cut once per process (about 0.2 s; workers warm it up)."""
    font = TTFont(settings.BASE_DIR / "static" / "fonts" / FILES[style])
    scale = 1000 / font["head"].unitsPerEm
    names = {chr(cp): name for cp, name in font.getBestCmap().items() if cp in CUT}
    head, hhea = font["head"], font["hhea"]
    metrics = {
        "gids": {c: font.getGlyphID(name) for c, name in names.items()},
        "advances": {c: font["hmtx"][name][0] * scale for c, name in names.items()},
        "ascent": hhea.ascent * scale,
        "descent": hhea.descent * scale,
        "cap_height": font["OS/2"].sCapHeight * scale,
        "bbox": tuple(v * scale for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
    }
    options = subset.Options()
    options.retain_gids = True  # the glyph ids stay the file's: the text is drawn with them
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM", "GPOS", "GSUB", "kern", "DSIG"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=sorted(CUT))
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    resource, base_font = NAMES[style]
    return Face(resource=resource, base_font=base_font, program=out.getvalue(), **metrics)


def warm() -> None:
    """Cut both faces now, not in a voter's or a secretariat's request."""
    face("regular")
    face("bold")


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
    """The row as drawn, or None when a character is outside the cut (WeasyPrint lays it out)."""
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
    return DrawnRow(tuple(cells), max(1, *(len(c.lines) for c in cells)))


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


def _classes(box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


def stamps(document, drawn: list[DrawnRow | None]) -> dict[int, bytes]:
    """Per page index, the operators drawing the rows laid out on it."""
    out = {}
    for number, page in enumerate(document.pages):
        table, ops = None, []
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and "results" in _classes(box):
                table = box
            elif isinstance(box, boxes.TableRowBox) and "drawn" in _classes(box):
                row = drawn[int(box.element.get("data-row"))]
                ops.extend(_row_operators(row, table, box, page.height * PX))
        if ops:
            out[number] = "\n".join(ops).encode("ascii")
    return out


def _row_operators(row: DrawnRow, table, box, page_height: float) -> Iterable[str]:
    """The row's rules and text, in the page's default space (points, origin bottom left)."""
    xs = [x * PX for x in table.column_positions]
    xs.append((table.column_positions[-1] + table.column_widths[-1]) * PX)
    top = page_height - box.position_y * PX
    bottom = top - box.height * PX
    half = RULE / 2
    yield f"{RULE:.3f} w {xs[0] - half:.3f} {top:.3f} m {xs[-1] + half:.3f} {top:.3f} l"
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


def _finisher(page_stamps: dict[int, bytes]) -> Callable:
    """WeasyPrint's finisher: each page's operators after its own, in the default space."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        if not page_stamps:
            return
        pages = [pdf.objects[int(number)] for number in pdf.pages["Kids"][::3]]
        references = {style: _font(pdf, face(style)) for style in FILES}
        save = pydyf.Stream([b"q"])
        pdf.add_object(save)
        done: set[int] = set()
        for index, operators in page_stamps.items():
            page = pages[index]
            resources = pdf.objects[_number(page["Resources"])]
            if "Font" not in resources:  # never seen: the header row is text
                resources["Font"] = pydyf.Dictionary()
            fonts = resources["Font"]
            if not isinstance(fonts, pydyf.Dictionary):
                fonts = pdf.objects[_number(fonts)]
            if id(fonts) not in done:
                for style, reference in references.items():
                    fonts[face(style).resource] = reference
                done.add(id(fonts))
            stream = pydyf.Stream([b"Q", operators], compress=True)
            pdf.add_object(stream)
            page["Contents"] = pydyf.Array([save.reference, page["Contents"], stream.reference])

    return finish


def _number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])


def _font(pdf: pydyf.PDF, font: Face):
    """A Type 0 font over the cut program, its glyphs addressed by their ids (Identity-H)."""
    program = pydyf.Stream([font.program], {"Length1": len(font.program)}, compress=True)
    pdf.add_object(program)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/" + font.base_font,
            "Flags": 2 + 4,  # serif, symbolic (a custom character set)
            "FontBBox": pydyf.Array([round(v) for v in font.bbox]),
            "ItalicAngle": 0,
            "Ascent": round(font.ascent),
            "Descent": round(font.descent),
            "CapHeight": round(font.cap_height),
            "StemV": 80,
            "FontFile2": program.reference,
        }
    )
    pdf.add_object(descriptor)
    by_gid = sorted((gid, c) for c, gid in font.gids.items())
    widths = pydyf.Array()
    for gid, c in by_gid:
        widths.extend([gid, pydyf.Array([round(font.advances[c])])])
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": "/" + font.base_font,
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": descriptor.reference,
            "CIDToGIDMap": "/Identity",
            "W": widths,
        }
    )
    pdf.add_object(cid_font)
    to_unicode = pydyf.Stream([_cmap(by_gid)], compress=True)
    pdf.add_object(to_unicode)
    type0 = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": "/" + font.base_font,
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(type0)
    return type0.reference


def _cmap(by_gid: list[tuple[int, str]]) -> bytes:
    """The ToUnicode map: what each glyph id says, so the text can be searched and copied."""
    seen: dict[int, str] = {}
    for gid, c in by_gid:
        seen.setdefault(gid, c)
    pairs = list(seen.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04x}> <{c.encode('utf-16-be').hex()}>" for gid, c in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")
