"""The bundled Liberation Serif cut to Latin and Vietnamese, for text drawn in PDF operators.

The minutes' table (results/minutes_table.py) measures its lines with these metrics and draws
them with these glyph ids; `font_object` embeds the cut as a Type 0 font (Identity-H, the file's
own glyph ids, a ToUnicode map so the text is searched and copied like WeasyPrint's). Each style
is read and cut once per process (tinnhiem/warmup.py does it before the workers fork), and the
cut keeps the file's timestamp: the same minutes come out byte for byte in every process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import pydyf
from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont

SIZE = 11.5  # pt: table.results' font-size in _document_style.html (a test checks it)

# What the cut keeps: Basic Latin, Latin-1, Latin Extended-A and B (ơ, ư), the Vietnamese
# letters of Latin Extended Additional, general punctuation (– ‘ ” …), ‰ and the đồng sign. Not
# the soft hyphen, line separators and direction marks, which a layout engine must interpret.
CUT = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2028)]
    + [0x2030, 0x20AB]
) - {0xAD}


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
    kerning: dict[tuple[str, str], float]  # the font's `kern` feature (GPOS pairs), as Pango

    def covers(self, text: str) -> bool:
        return all(c in self.gids for c in text)

    def width(self, text: str, size: float = SIZE) -> float:
        kerning = self.kerning
        pairs = sum(kerning.get(pair, 0) for pair in zip(text, text[1:], strict=False))
        return (sum(self.advances[c] for c in text) + pairs) * size / 1000

    def shown(self, text: str) -> str:
        """The text as a TJ array: glyph ids, each kerned pair's adjustment between them."""
        parts, run = [], []
        for c, after in zip(text, [*text[1:], ""], strict=True):
            run.append(f"{self.gids[c]:04x}")
            kern = self.kerning.get((c, after), 0)
            if kern:
                parts.append(f"<{''.join(run)}> {-kern:g}")
                run = []
        if run:
            parts.append(f"<{''.join(run)}>")
        return f"[{' '.join(parts)}]"


FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf"}
NAMES = {
    "regular": ("TNTableR", "TNTBLR+Tinnhiem-Serif"),
    "bold": ("TNTableB", "TNTBLB+Tinnhiem-Serif-Bold"),
}


@lru_cache(maxsize=2)
def face(style: str) -> Face:
    """The style's face, read and cut once per process (about 0.2 s; workers warm it up)."""
    font = TTFont(settings.BASE_DIR / "static" / "fonts" / FILES[style], recalcTimestamp=False)
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
        "kerning": _kerning(font, names, scale),
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


def _kerning(font: TTFont, names: dict[str, str], scale: float) -> dict[tuple[str, str], float]:
    """The x-advance adjustments of the GPOS `kern` feature's pair lookups, between characters
    of the cut (format 1: glyph pairs; format 2: class pairs), the first lookup's value kept."""
    if "GPOS" not in font:
        return {}
    chars: dict[str, list[str]] = {}
    for c, name in names.items():
        chars.setdefault(name, []).append(c)
    table = font["GPOS"].table
    indices = sorted(
        {
            i
            for r in table.FeatureList.FeatureRecord
            if r.FeatureTag == "kern"
            for i in r.Feature.LookupListIndex
        }
    )
    out: dict[tuple[str, str], float] = {}

    def add(first: str, second: str, value) -> None:
        advance = getattr(value, "XAdvance", 0) or 0
        for a in chars.get(first, ()):
            for b in chars.get(second, ()):
                if advance and (a, b) not in out:
                    out[(a, b)] = advance * scale

    for index in indices:
        lookup = table.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            sub = getattr(sub, "ExtSubTable", sub)  # an extension lookup's own subtable
            if lookup.LookupType not in (2, 9) or getattr(sub, "LookupType", 2) != 2:
                continue
            firsts = sub.Coverage.glyphs
            if sub.Format == 1:
                for first, pairs in zip(firsts, sub.PairSet, strict=True):
                    for record in pairs.PairValueRecord:
                        add(first, record.SecondGlyph, record.Value1)
            elif sub.Format == 2:
                class1, class2 = sub.ClassDef1.classDefs, sub.ClassDef2.classDefs
                for first in firsts:
                    row = sub.Class1Record[class1.get(first, 0)].Class2Record
                    for second in chars:
                        add(first, second, row[class2.get(second, 0)].Value1)
    return out


def warm() -> None:
    """Cut both faces now, not in a voter's or a secretariat's request."""
    face("regular")
    face("bold")


def font_object(pdf: pydyf.PDF, font: Face):
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
