"""The minutes' table drawn after layout (results/minutes_table.py): the same table, read back.

Every PDF here is real WeasyPrint output with the rows drawn over it, read back with pypdf.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from people.models import Official
from results import documents, minutes_table, table_font
from results.minutes_document import minutes_context, minutes_rows
from results.minutes_table import MM, Face, face, plan, wrap
from results.page_content import PageStamp, splice
from results.tally import result_compute
from tests.results.test_minutes_document import draft_pdf, imported, pages, state_org, text_of

STYLE = Path(__file__).resolve().parents[2] / "templates" / "pdf" / "_document_style.html"
MINUTES = Path(__file__).resolve().parents[2] / "templates" / "pdf" / "minutes.html"


def drawn_texts(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each text drawn in the table's own fonts, with its origin in points."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, _size, found=found):
            if font is not None and "TNTBL" in str(font.get("/BaseFont")) and text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((text.strip(), x, y))

        page.extract_text(visitor_text=visit)
        out.append(found)
    return out


def test_the_drawn_table_keeps_the_measures_of_the_css_it_replaces():
    """Size, leading, padding, rules, column widths and margins, as the stylesheet sets them for
    the rows WeasyPrint still lays out and for the header it draws."""
    css = STYLE.read_text()
    assert "margin: 20mm 20mm 20mm 30mm" in css  # 210 − 30 − 20 = TABLE_WIDTH
    assert "line-height: 1.35" in css and minutes_table.LEADING == 1.35 * minutes_table.SIZE
    assert f"font-size: {minutes_table.SIZE}pt; table-layout: fixed" in css
    assert "padding: 1.2mm 1mm" in css and minutes_table.PAD_Y == 1.2 * MM
    assert "border: 0.3mm solid #000" in css and minutes_table.RULE == 0.3 * MM
    for name, width in minutes_table.COLUMNS.items():
        assert f"col.{name} {{ width: {width}mm; }}" in css
    assert '<col class="count"><col class="count">' in MINUTES.read_text()


def test_lines_break_at_spaces_and_a_word_wider_than_the_column_at_a_letter():
    regular = face("regular")
    assert wrap("  Phó Chủ tịch\tHội đồng  nhân dân tỉnh ", 29 * MM - 2 * MM, regular) == (
        "Phó Chủ tịch",
        "Hội đồng nhân",
        "dân tỉnh",
    )
    long = "Trưởng" * 8
    lines = wrap(long, 20 * MM, regular)
    assert "".join(lines) == long and len(lines) > 1
    assert all(regular.width(line) <= 20 * MM for line in lines)
    assert wrap("", 20 * MM, regular) == ()
    # Inside a word: after a hyphen, a dash or a slash, never before a digit.
    assert wrap("Nguyễn-Trần-Phạm-Hoàng-Lê", 31 * MM - 2 * MM - minutes_table.RULE, regular) == (
        "Nguyễn-Trần-",
        "Phạm-Hoàng-Lê",
    )
    assert wrap("Tài chính/Kế toán", 20 * MM, regular) == ("Tài chính/", "Kế toán")
    assert wrap("Khu-12345678", 12 * MM, regular)[0] != "Khu-"
    # After an en dash even before a digit; on both sides of an em dash (UAX #14).
    narrow = regular.width("2020–") + 0.1
    assert wrap("kỳ 2020–2025", narrow, regular) == ("kỳ", "2020–", "2025")
    tight = regular.width("Dân tộc—") - 0.1
    assert wrap("Dân tộc—Tôn giáo", tight, regular)[0] == "Dân tộc"
    assert wrap("a——b", regular.width("a——") + 0.1, regular)[0] != "a—"  # never between dashes


def test_the_text_is_kerned_as_the_fonts_kern_feature_says():
    regular = face("regular")
    assert regular.kerning[("V", "o")] < 0  # GPOS kern: "Vo" sits tighter than V and o
    assert regular.width("Vo") < regular.width("V") + regular.width("o")
    assert regular.width("Vo") == pytest.approx(
        (regular.advances["V"] + regular.advances["o"] + regular.kerning[("V", "o")]) * 11.5 / 1000
    )
    # Drawn with the same adjustment between the two glyphs (TJ subtracts it).
    gid_v, gid_o = regular.gids["V"], regular.gids["o"]
    adjust = -regular.kerning[("V", "o")]
    assert regular.shown("Vo") == f"[<{gid_v:04x}> {adjust:g} <{gid_o:04x}>]"


def test_the_cut_covers_every_vietnamese_letter_and_nothing_outside_it():
    regular: Face = face("regular")
    letters = "ĂÂĐÊÔƠƯăâđêôơư" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    assert regular.covers(letters) and face("bold").covers(letters)
    assert not regular.covers("Иван") and not regular.covers("王") and not regular.covers("😀")
    # What a layout engine interprets: a soft hyphen, a control, a line separator, a bidi mark.
    assert not any(regular.covers(c) for c in "\u00ad\x00\x1f\u2028\u202e\u200b")


def test_every_row_of_a_long_minutes_is_drawn_once_in_order_inside_the_margins(db):
    session = imported(state_org(), people=60)
    pdf = draft_pdf(session)
    text = text_of(pdf)
    for n in range(2, 61):
        assert len(re.findall(rf" {n} Người Số {n} Phó Chủ tịch {n} 10 21,28% ", text)) == 1, n
    assert re.search(r"1 Người Số 1 Phó Chủ tịch 1 19 40,43% 2 4,26% 25 53,19% 46 1\b", text)
    per_page = drawn_texts(pdf)
    assert sum(1 for page in per_page for t, _, _ in page if t.startswith("Người Số")) == 60
    assert len(per_page) > 2 and all(per_page[1:-1])  # the table runs across pages
    reader = PdfReader(io.BytesIO(pdf))
    for page, texts in zip(reader.pages, per_page, strict=True):
        top, right = float(page.mediabox.top), float(page.mediabox.right)
        for text, x, y in texts:
            assert 20 * MM < y < top - 20 * MM, (text, y)  # never in a margin
            assert 30 * MM <= x < right - 20 * MM, (text, x)
    # The count is bold over its percentage, set in the table's own bold face.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"/TNTBLR+Tinnhiem-Serif", "/TNTBLB+Tinnhiem-Serif-Bold"} <= fonts


def test_a_decomposed_vietnamese_name_is_drawn_in_its_composed_letters(db):
    session = imported(state_org(), people=2)
    name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    Official.objects.filter(full_name="Người Số 2").update(full_name=name)
    rows = minutes_rows(result_compute(session))
    table = plan(rows, session.levels())
    assert all(drawn for _, drawn in table.rows)
    assert "2 Nguyễn Thị Ánh Tuyết Phó Chủ tịch 2" in text_of(draft_pdf(session))


def test_a_name_outside_the_cut_is_laid_out_by_weasyprint_in_the_same_table(db):
    session = imported(state_org(), people=3)
    Official.objects.filter(full_name="Người Số 2").update(full_name="Иван Петров")
    table = plan(minutes_rows(result_compute(session)), session.levels())
    assert [drawn is None for _, drawn in table.rows] == [False, True, False]
    pdf = draft_pdf(session)
    text = text_of(pdf)
    assert "2 Иван Петров Phó Chủ tịch 2 10 21,28%" in text
    assert "3 Người Số 3 Phó Chủ tịch 3 10 21,28%" in text
    drawn = [t for page in drawn_texts(pdf) for t, _, _ in page]
    assert "Người Số 3" in drawn and "Иван Петров" not in drawn


def test_a_vote_of_confidence_draws_its_two_levels_and_reads_in_english(db):
    session = imported(state_org(), people=2, procedure="confidence")
    pdf = draft_pdf(session, language="en")
    text = " ".join(pages(pdf))
    assert re.search(r"2 Người Số 2 Phó Chủ tịch 2 30 63\.83% 10 21\.28% 40 7\b", text)


def test_the_rows_read_in_place_between_the_header_the_fallback_rows_and_the_conclusions(db):
    """Each drawn row goes into the page's content where its text belongs: copying, searching
    and screen readers meet the rows in order, before the conclusions and the running head."""
    session = imported(state_org(), people=3)
    Official.objects.filter(full_name="Người Số 2").update(full_name="Иван Петров")
    page = text_of(draft_pdf(session))
    order = [
        "Không hợp lệ",
        "1 Người Số 1",
        "2 Иван Петров",
        "3 Người Số 3",
        "Kết luận:",
        "Biên bản được lập",
    ]
    places = [page.index(text) for text in order]
    assert places == sorted(places), page
    # On the table's page the running head comes last, after the rows.
    first = pages(draft_pdf(session))[0]
    assert first.index("3 Người Số 3") < first.index("DỰ THẢO")


def test_a_row_goes_in_between_text_objects_in_the_default_space():
    """WeasyPrint's page: flipped, scaled to CSS pixels, one text object running on."""
    chunks = [
        b"1 0 0 -1 0 800 cm",
        b"q",
        b"0.75 0 0 0.75 0 0 cm",
        b"BT",
        b"1 0 0 -1 10 50 Tm",
        b"[<01>] TJ",
        b"1 0 0 -1 10 300 Tm",
        b"[<02>] TJ",
        b"1 0 0 -1 10 20 Tm",
        b"[<03>] TJ",
        b"ET",
        b"Q",
    ]
    page = (30, 1000)  # the content area; the text at 20 is a running head
    out = splice(chunks, PageStamp(rows=[(100, b"ROW 1"), (200, b"ROW 2")], content=page))
    first = out.index(b"ROW 1")
    assert out[first - 3 : first] == [
        b"ET",
        b"q",
        b"1.333333 0.000000 0.000000 -1.333333 0.000000 1066.666667 cm",
    ]
    assert out[first + 1 : first + 3] == [b"Q", b"BT"]
    assert out.index(b"ROW 2") < out.index(b"1 0 0 -1 10 300 Tm")  # before the text below
    assert out.index(b"1 0 0 -1 10 50 Tm") < first  # after the header above
    # A running head (above the table, set after it) comes after every row.
    rest = splice(chunks, PageStamp(rows=[(400, b"LAST")], content=page))
    assert rest.index(b"LAST") < rest.index(b"1 0 0 -1 10 20 Tm")
    assert rest.index(b"LAST") > rest.index(b"1 0 0 -1 10 300 Tm")


def test_a_row_too_tall_for_a_page_is_left_to_weasyprint_which_splits_it(db):
    session = imported(state_org(), people=3)
    long = "—" * 290  # within the column's 300 characters: six to a line, 49 lines
    from sessions.models import Candidate

    Candidate.objects.filter(position="Phó Chủ tịch 1").update(position=long)
    table = plan(minutes_rows(result_compute(session)), session.levels())
    assert [drawn is None for _, drawn in table.rows] == [True, False, False]
    pdf = draft_pdf(session)
    text = text_of(pdf)
    assert re.search(r"19 40,43% 2 4,26% 25 53,19% 46 1\b", text)  # its figures, printed
    # WeasyPrint breaks the unbroken run too (overflow-wrap), over its column only, and so
    # splits the row across pages instead of running it over the figures and off the page.
    lines = [t for page in PdfReader(io.BytesIO(pdf)).pages for t in _texts_of(page)]
    runs = [len(t) for t in lines if t and not t.strip("—")]  # the position's lines
    assert sum(runs) == 290 and max(runs) <= 8, runs
    assert "3 Người Số 3 Phó Chủ tịch 3" in text


def test_the_cut_keeps_the_files_timestamp_so_every_process_prints_the_same_bytes():
    for style, file in table_font.FILES.items():
        original = TTFont(STYLE.parents[2] / "static" / "fonts" / file)["head"].modified
        assert TTFont(io.BytesIO(face(style).program))["head"].modified == original


def test_the_planned_columns_are_the_columns_weasyprint_lays_out(db):
    """Lines are broken before layout, at the widths planned: they must be the real ones."""
    for procedure, levels in (("rating", 3), ("confidence", 2)):
        session = imported(state_org(f"Hội đồng {procedure}"), people=1, procedure=procedure)
        result = result_compute(session)
        with translation.override("vi"):
            context = documents._document_context(result, **minutes_context(result))
            document, _table = documents.minutes_layout(context)
        [table] = [
            box
            for box in document.pages[0]._page_box.descendants()
            if isinstance(box, boxes.TableBox) and "results" in (box.element.get("class") or "")
        ]
        laid_out = [w * 25.4 / 96 for w in table.column_widths]
        assert laid_out == pytest.approx(minutes_table.column_widths(levels), abs=0.01)


def _texts_of(page) -> list[str]:
    found: list[str] = []
    page.extract_text(visitor_text=lambda text, *_: found.append(text.strip()))
    return found


def test_english_header_words_are_hyphenated_as_weasyprint_hyphenates_them():
    """th { hyphens: auto }: pyphen's patterns, two letters each side, the hyphen "‐"."""
    bold = face("bold")
    level = 18.6556 * MM - 2 * MM - minutes_table.RULE
    assert wrap("High confidence", level, bold, language="en") == ("High", "confid‐", "ence")
    count = 14.5 * MM - 2 * MM - minutes_table.RULE
    assert wrap("Invalid for the person", count, bold, language="en")[0] == "Inval‐"
    assert wrap("Tín nhiệm cao", level, bold, language="vi") == ("Tín", "nhiệm", "cao")
