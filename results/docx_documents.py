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

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

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
    run = paragraph.add_run(text)
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
    left.width, right.width = Mm(width * 0.42), Mm(width * 0.58)
    lines = list(head.org_lines)
    bold = set(range(len(lines))) if head.bold_all else {len(lines) - 1}
    if head.star:
        lines.append("*")
    if head.number:
        lines.append(head.number)
    _cell_lines(left, lines, size=12.5, bold=bold)
    if head.number:  # the number is not in capitals and not bold
        left.paragraphs[-1].paragraph_format.space_before = Pt(4)
    right_lines = [line for line in (head.heading, head.motto) if line]
    _cell_lines(right, [*right_lines, head.date_line], bold=set(range(len(right_lines))))
    date = right.paragraphs[-1]
    date.paragraph_format.space_before = Pt(6)
    for run in date.runs:
        run.italic = True
        run.bold = None


def _table(document, block: Table, width: float) -> None:
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed = sum(c.width for c in block.columns)
    flexible = [c for c in block.columns if not c.width]
    rest = (width - fixed) / len(flexible) if flexible else 0
    widths = [Mm(c.width or rest) for c in block.columns]
    for cell, column, cell_width in zip(table.rows[0].cells, block.columns, widths, strict=True):
        cell.width = cell_width
        lines = [column.label, column.unit] if column.unit else [column.label]
        _cell_lines(cell, lines, size=11, bold={0})
    for row in block.laid_out:
        cells = table.add_row().cells
        for cell, (lines, numeric), cell_width in zip(cells, row, widths, strict=True):
            cell.width = cell_width
            align = CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_lines(cell, lines, align=align, size=11, bold={0} if len(lines) > 1 else ())
    # Repeat the header row on every page.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)


def _paragraph(document, block: Para) -> None:
    paragraph = _para(document, align=CENTER if block.center else JUSTIFY)
    paragraph.paragraph_format.keep_with_next = block.keep_with_next or None
    if block.lead:
        _text(paragraph, block.lead, bold=True)
        if block.text:
            _text(paragraph, " ")
    if block.text:
        _text(paragraph, block.text, bold=block.bold, italic=block.italic)


def _closing(document, paper: Paper, width: float) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(width * 0.45), Mm(width * 0.55)
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
    for block in paper.blocks:
        if isinstance(block, Table):
            _table(document, block, width)
            _para(document, space_after=0)
        else:
            _paragraph(document, block)
    _closing(document, paper, width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
