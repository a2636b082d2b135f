"""Every PDF is set in the bundled Liberation Serif 2.1.5, Vietnamese letters included.

Debian's fonts-liberation 1.07 lacks ơ, ư, ạ, ả and 40+ other Vietnamese glyphs, which used to
come out in DejaVu Serif inside the same word. The bundled font (static/fonts) covers them all.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from ballots.documents import ballot_form_pdf
from ballots.slips import slips_pdf
from results import documents
from results.papers import document_pdf
from results.tally import result_compute
from tests.factories import full_choices, open_session

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
VIETNAMESE = (
    "ơ ư ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể ễ ệ ỉ ị ọ "
    "ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ Đ đ"
)
# WeasyPrint embeds an @font-face font under its CSS family name (templates/pdf/_fonts.html).
BUNDLED = "Tinnhiem-Serif"


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_the_bundled_font_has_every_vietnamese_letter():
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        cmap = TTFont(FONTS / f"LiberationSerif-{style}.ttf").getBestCmap()
        assert [c for c in VIETNAMESE.replace(" ", "") if ord(c) not in cmap] == []


@pytest.fixture
def counted(cast):
    from ballots import services

    codes = open_session(cast.session, cast.secretariat, codes=3, activate=1)
    choices = {int(k[1:]): v for k, v in full_choices(cast.session).items()}
    services.ballot_cast(raw=codes[0], choices=choices)
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


def test_every_document_uses_only_the_bundled_serif_and_a_monospace_for_codes(counted):
    session = counted.session
    result = result_compute(session)
    pdfs = {
        "minutes": documents.minutes_pdf(result, ballot_set_sha256="0" * 64),
        "announcement": documents.announcement_pdf(result),
        "report": document_pdf("report", result),
        "resolution": document_pdf("resolution", result),
    }
    for name, pdf in pdfs.items():
        fonts = _fonts(pdf)
        serif = {f for f in fonts if "Mono" not in f}
        assert serif and all(f.startswith(BUNDLED) for f in serif), (name, fonts)
        assert not any("DejaVu" in f for f in fonts), (name, fonts)


def test_the_vietnamese_letters_of_a_minutes_come_out_of_the_bundled_font(counted, tmp_path):
    """pdffonts lists each font with its embedded file: only the bundled serif (and the mono of
    the fingerprint), whatever fonts the machine has."""
    session = counted.session
    session.title = "Hội nghị lấy phiếu tín nhiệm: " + VIETNAMESE
    session.save(update_fields=["title"])
    pdf = documents.minutes_pdf(result_compute(session), ballot_set_sha256="0" * 64)
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf)
    try:
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    rows = listing.splitlines()[2:]
    assert rows and all(BUNDLED in r or "Mono" in r for r in rows), listing
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ỹ" in text and "Đ" in text


def test_the_slips_use_the_bundled_serif_too(cast):
    from sessions import services as session_services

    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    pdf = slips_pdf(session=cast.session, codes=["7KQ2M9XH4CTD8WZ"], base_url="http://x")
    serif = {f for f in _fonts(pdf) if "Mono" not in f}
    assert serif and all(f.startswith(BUNDLED) for f in serif)


def test_the_ballot_form_takes_every_glyph_from_the_bundled_serif(counted):
    """The ballot form prints no ✓ or ✗ any more (the marking rules had no source): every glyph,
    Vietnamese letters included, comes from the bundled serif; no other font is embedded."""
    pdf = ballot_form_pdf(session=counted.session, copies=1)
    fonts = _fonts(pdf)
    assert fonts and all(f.startswith(BUNDLED) for f in fonts), fonts
