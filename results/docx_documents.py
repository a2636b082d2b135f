"""The documents after the count as editable Word files (python-docx): secretariats finish such
documents in Word (domain.md, "Documents after the count"). The same `Paper` as the PDF, so the
same words: the heading in a two-column table, the title, the paragraphs, the table of figures,
then "Nơi nhận" and the signature side by side.

Layout per Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins top and bottom 20 mm, left 30 mm,
right 20 mm; Times New Roman 13 pt; page numbers centred at the top from page 2 on; a draft
carries "DỰ THẢO" in the header of every page.
"""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from sessions.text import xml_safe

from .paper_parts import Head, Paper, Para, Table

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _set_font(style_or_run, size: float) -> None:
    font = style_or_run.font
    font.name = FONT
    font.size = Pt(size)
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)


def _para(container, text: str = "", *, align=None, space_after: float = 3, **style) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if text:
        _text(paragraph, text, **style)
    return paragraph


def _widths(table, widths: list) -> None:
    """Fixed column widths: on the grid (LibreOffice reads it) and on every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _rule(cell: _Cell, length: float, cell_width: float) -> None:
    """A short centred rule (NĐ 30: beneath the issuer's name and beneath the motto): an empty
    paragraph's bottom border, indented to `length` mm."""
    paragraph = cell.add_paragraph()
    indent = Mm(max(cell_width - length, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_after = Pt(2)
    _text(paragraph, "", size=2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _first_paragraph(cell: _Cell) -> Paragraph:
    """A new cell holds one empty paragraph: use it for the first line."""
    return cell.paragraphs[0]


def _cell_lines(cell: _Cell, lines, *, align=CENTER, size: float = 13, bold=(), italic=()) -> None:
    for index, line in enumerate(lines):
        paragraph = _first_paragraph(cell) if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, line, bold=index in bold, italic=index in italic, size=size)


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _setup(document, paper: Paper) -> None:
    _set_font(document.styles["Normal"], 13)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.different_first_page_header_footer = True
    numbered = section.header.paragraphs[0]
    numbered.alignment = CENTER
    _page_number(numbered)
    if paper.draft:
        for header in (section.header, section.first_page_header):
            _para(header, paper.draft_mark, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)


def _heading(document, head: Head, width: float) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left_width, right_width = width * 0.4, width * 0.6
    _widths(table, [Mm(left_width), Mm(right_width)])
    lines = list(head.org_lines)
    bold = set(range(len(lines))) if head.bold_all else {len(lines) - 1}
    if head.star:
        lines.append("*")
    _cell_lines(left, lines, size=12.5, bold=bold)
    if not head.star:
        _rule(left, left_width * 0.3, left_width)
    if head.number:  # not in capitals, not bold
        _cell_lines_after(left, head.number)
    titles = [line for line in (head.heading, head.motto) if line]
    _cell_lines(right, titles, bold=set(range(len(titles))))
    if head.heading:  # the national heading in 12 pt, the motto 13 pt beneath it
        right.paragraphs[0].runs[0].font.size = Pt(12)
    if titles:
        _rule(right, right_width * 0.55, right_width)
    date = right.add_paragraph() if titles else _first_paragraph(right)
    date.alignment = CENTER
    date.paragraph_format.space_before = Pt(6)
    _text(date, head.date_line, italic=True)


def _cell_lines_after(cell: _Cell, text: str) -> None:
    paragraph = cell.add_paragraph()
    paragraph.alignment = CENTER
    paragraph.paragraph_format.space_before = Pt(4)
    _text(paragraph, text)


def _table(document, block: Table, width: float) -> None:
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed = sum(c.width for c in block.columns)
    flexible = [c for c in block.columns if not c.width]
    rest = (width - fixed) / len(flexible) if flexible else 0
    widths = [Mm(c.width or rest) for c in block.columns]
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        lines = [column.label, column.unit] if column.unit else [column.label]
        _cell_lines(cell, lines, size=11, bold={0})
    for row in block.laid_out:
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a person on one page
        cells = added.cells
        for cell, (lines, numeric) in zip(cells, row, strict=True):
            align = CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_lines(cell, lines, align=align, size=11, bold={0} if len(lines) > 1 else ())
    _widths(table, widths)
    # Narrow cell margins (0.8 mm), so the number column can be narrow.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "45")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    # Repeat the header row on every page.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)


def _paragraph(document, block: Para) -> Paragraph:
    paragraph = _para(document, align=CENTER if block.center else JUSTIFY)
    paragraph.paragraph_format.keep_with_next = block.keep_with_next or None
    if block.lead:
        _text(paragraph, block.lead, bold=True)
        if block.text:
            _text(paragraph, " ")
    if block.text:
        _text(paragraph, block.text, bold=block.bold, italic=block.italic)
    return paragraph


def _closing(document, paper: Paper, width: float) -> None:
    table = document.add_table(rows=1, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    _widths(table, [Mm(width * 0.45), Mm(width * 0.55)])
    if paper.recipients is not None:
        _cell_lines(
            left,
            [paper.recipients_label, *paper.recipients],
            align=WD_ALIGN_PARAGRAPH.LEFT,
            size=11,
            bold={0},
            italic={0},
        )
        left.paragraphs[0].runs[0].font.size = Pt(12)
    lines = [*paper.signer, "", "", "", "", paper.signer_name]
    _cell_lines(right, lines, bold=set(range(len(paper.signer))) | {len(lines) - 1})


def paper_docx(paper: Paper) -> bytes:
    """A Paper as a .docx file. Build the paper in the language wanted first."""
    document = Document()
    _setup(document, paper)
    width = (297 if paper.landscape else 210) - 50
    _heading(document, paper.head, width)
    _para(document, paper.title, align=CENTER, space_after=0, bold=True, size=14)
    _para(document, paper.subtitle, align=CENTER, space_after=9, bold=True)
    last = None
    for block in paper.blocks:
        if isinstance(block, Table):
            _table(document, block, width)
            last = _para(document, space_after=0)
        else:
            last = _paragraph(document, block)
    if last is not None:  # the signature never alone on a page
        last.paragraph_format.keep_with_next = True
    _closing(document, paper, width)
    # Word ends a document after a table with a paragraph: a tiny one, so it never makes a page.
    _para(document, space_after=0).paragraph_format.line_spacing = Pt(1)
    # The file's own properties: python-docx's template says "python-docx", created in 2013.
    now = timezone.now()
    properties = document.core_properties
    properties.title = xml_safe(paper.title)
    properties.author = properties.last_modified_by = "tinnhiem"
    properties.comments = ""
    properties.created = properties.modified = now
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
