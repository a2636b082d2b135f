"""The voter code slips (PDF): a page of slips laid out once, each page's codes stamped on it.

WeasyPrint lays out one full page of slips (heading, title, how to vote, a place for the QR symbol
and for the code) and, when the count does not fill the last page, that shorter page. Every page
of the PDF then shows one of these laid-out pages, its content stream stored once, with its own
codes and QR symbols drawn over it straight in PDF operators: the codes in the bundled Liberation
Mono Bold (the very file the layout measured them with), each QR module a filled square. 500
slips cost one layout instead of fifty, and no SVG for WeasyPrint to parse (issue 15).

The plain codes are never stored; they exist only in this PDF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from fontTools import subset
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from sessions.models import VotingSession

from . import codes as code_utils
from .qr import qr_matrix

PER_PAGE = 10
QR_MM = 33
QR_BORDER = 2  # light modules around the symbol, inside its 33 mm square
FONT_FILE = "fonts/LiberationMono-Bold.ttf"
FONT_NAME = "/TinnhiemCode"
PX = 0.75  # PDF points per CSS pixel


def ballot_link(base_url: str, code: str) -> str:
    """The QR's target: the code rides in the #fragment, which browsers never send to the server,
    so no access log or proxy ever sees it."""
    return f"{base_url.rstrip('/')}/b/#{code_utils.display(code)}"


def slips_pdf(*, session: VotingSession, codes: list[str], base_url: str) -> bytes:
    """Ten slips to an A4 page, in the order of `codes`: each its code, QR symbol and address."""
    full, rest = divmod(len(codes), PER_PAGE)
    placeholder = code_utils.display("0" * code_utils.LENGTH)
    layouts = [PER_PAGE] * bool(full) + [rest] * bool(rest) or [0]
    # The address stays on one line: broken after "http://" it reads as two addresses.
    ballot_url = format_html('<span class="url">{}</span>', f"{base_url.rstrip('/')}/b/")
    html = render_to_string(
        "pdf/slips.html",
        {
            "session": session,
            "pages": [[placeholder] * n for n in layouts],
            "ballot_url": ballot_url,
            "qr_mm": QR_MM,
        },
    )
    document = HTML(string=html, base_url=settings.PDF_BASE_URL).render()
    places = [_places(page) for page in document.pages]
    stamps = []
    for start in range(0, len(codes), PER_PAGE):
        layout = 0 if start + PER_PAGE <= len(codes) else len(layouts) - 1
        page_codes = codes[start : start + PER_PAGE]
        page_height = document.pages[layout].height
        stamps.append(
            (layout, _stamp(zip(page_codes, places[layout], strict=True), base_url, page_height))
        )
    return document.write_pdf(finisher=lambda _document, pdf: _assemble(pdf, stamps))


@dataclass(frozen=True)
class Place:
    """Where one slip's code and QR symbol go, in CSS pixels from the page's top left."""

    code_x: float
    code_baseline: float
    code_size: float
    qr_x: float
    qr_y: float
    qr_side: float


def _places(page) -> list[Place]:
    """The slips of a laid-out page, in order: their hidden placeholder code and QR square."""
    texts, squares = [], []
    for box in page._page_box.descendants():
        classes = (box.element.get("class") or "").split() if box.element is not None else []
        if isinstance(box, boxes.TextBox) and "code" in classes:
            texts.append(box)
        elif isinstance(box, boxes.BlockBox) and "qr" in classes and box.element_tag == "div":
            squares.append(box)
    return [
        Place(
            code_x=text.position_x,
            code_baseline=text.position_y + text.baseline,
            code_size=text.style["font_size"],
            qr_x=square.content_box_x(),
            qr_y=square.content_box_y(),
            qr_side=square.width,
        )
        for text, square in zip(texts, squares, strict=True)
    ]


def _stamp(slips, base_url: str, page_height: float) -> bytes:
    """PDF operators drawing each slip's code and QR symbol, in the page's default space."""
    height = page_height * PX
    ops = []
    for code, place in slips:
        matrix = qr_matrix(ballot_link(base_url, code))
        module = place.qr_side * PX / (len(matrix) + 2 * QR_BORDER)
        left = place.qr_x * PX + QR_BORDER * module
        top = height - place.qr_y * PX - QR_BORDER * module
        ops.append(f"q 0 g {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm")
        for i, row in enumerate(matrix):
            j, size = 0, len(row)
            while j < size:  # one rectangle per run of dark modules
                if row[j]:
                    start = j
                    while j < size and row[j]:
                        j += 1
                    ops.append(f"{start} {i} {j - start} 1 re")
                j += 1
        ops.append("f Q")
        x, y = place.code_x * PX, height - place.code_baseline * PX
        text = code_utils.display(code)
        ops.append(f"BT {FONT_NAME} {place.code_size * PX:.3f} Tf 0 g {x:.3f} {y:.3f} Td")
        ops.append(f"({text}) Tj ET")
    return "\n".join(ops).encode("ascii")


def _assemble(pdf: pydyf.PDF, stamps: list[tuple[int, bytes]]) -> None:
    """WeasyPrint's finisher: one PDF page per stamp, over the laid-out page it names."""
    layouts = [pdf.objects[int(number)] for number in pdf.pages["Kids"][::3]]
    if not stamps:
        return
    resources = pdf.objects[_number(layouts[0]["Resources"])]
    fonts = pdf.objects[_number(resources["Font"])]
    fonts[FONT_NAME[1:]] = _code_font(pdf).reference
    save = pydyf.Stream([b"q"])
    pdf.add_object(save)
    contents = [layout["Contents"] for layout in layouts]
    used: set[int] = set()
    kids = pydyf.Array()
    for layout, operators in stamps:
        stream = pydyf.Stream([b"Q", operators], compress=True)
        pdf.add_object(stream)
        page = layouts[layout]
        if layout in used:
            page = pydyf.Dictionary(dict(page))
            pdf.add_object(page)
        used.add(layout)
        page["Contents"] = pydyf.Array([save.reference, contents[layout], stream.reference])
        kids.extend([page.number, 0, "R"])
    pdf.pages["Kids"] = kids
    pdf.pages["Count"] = len(stamps)


def _number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])


def _code_font(pdf: pydyf.PDF) -> pydyf.Dictionary:
    """The bundled Liberation Mono Bold, cut down to the code's characters, as a TrueType font."""
    program, metrics = _font_program()
    file = pydyf.Stream([program], {"Length1": len(program)}, compress=True)
    pdf.add_object(file)
    descriptor = pydyf.Dictionary({**metrics["descriptor"], "FontFile2": file.reference})
    pdf.add_object(descriptor)
    font = pydyf.Dictionary({**metrics["font"], "FontDescriptor": descriptor.reference})
    pdf.add_object(font)
    return font


@lru_cache(maxsize=1)
def _font_program() -> tuple[bytes, dict]:
    """The subset font file and its PDF metrics (computed once per process)."""
    font = TTFont(settings.BASE_DIR / "static" / FONT_FILE)
    characters = code_utils.ALPHABET + "-"
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    first, last = min(map(ord, characters)), max(map(ord, characters))
    widths = [
        round(font["hmtx"][cmap[c]][0] * scale) if chr(c) in characters else 0
        for c in range(first, last + 1)
    ]
    head, hhea = font["head"], font["hhea"]
    name = "TNCODE+" + font["name"].getDebugName(6)
    metrics = {
        "font": {
            "Type": "/Font",
            "Subtype": "/TrueType",
            "BaseFont": "/" + name,
            "FirstChar": first,
            "LastChar": last,
            "Widths": pydyf.Array(widths),
            "Encoding": "/WinAnsiEncoding",
        },
        "descriptor": {
            "Type": "/FontDescriptor",
            "FontName": "/" + name,
            "Flags": 1 + 32,  # fixed pitch, non-symbolic
            "FontBBox": pydyf.Array(
                [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
            ),
            "ItalicAngle": 0,
            "Ascent": round(hhea.ascent * scale),
            "Descent": round(hhea.descent * scale),
            "CapHeight": round(font["OS/2"].sCapHeight * scale),
            "StemV": 120,
        },
    }
    options = subset.Options(notdef_outline=True)
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing to subset, nothing needed
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), metrics
