"""The voter code slips: ten to an A4 page, each with its code, QR and the whole address."""

from __future__ import annotations

import io
import re

import segno
from pypdf import PdfReader

from ballots import codes
from ballots.slips import ballot_link, slips_pdf


def test_ten_slips_fill_an_a4_page_and_each_shows_its_code_and_the_address_on_one_line(cast):
    plain = [codes.new_code() for _ in range(11)]
    pdf = slips_pdf(session=cast.session, codes=plain, base_url="http://192.168.1.10:8000/")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    width, height = (round(float(v) * 25.4 / 72) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == (210, 297)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    text = "\n".join(lines)
    for code in plain:
        assert codes.display(code) in text
    # The address is never cut after "http://": a voter would type half of it.
    assert sum("http://192.168.1.10:8000/b/" in line for line in lines) == 11
    assert text.count(cast.session.title) == 11


def test_five_hundred_slips_print_every_code_exactly_once_fifty_to_a_page_in_order(cast):
    plain = [codes.new_code() for _ in range(500)]
    pdf = slips_pdf(session=cast.session, codes=plain, base_url="http://192.168.1.10:8000")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 50
    pages = [page.extract_text() for page in reader.pages]
    printed = [re.findall(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text) for text in pages]
    assert [codes.normalize(c) for page in printed for c in page] == plain
    assert all(text.count(cast.session.title) == 10 for text in pages)


def _stamped(page) -> list[tuple[set[tuple[int, int]], float, float, float, str, float]]:
    """Each QR symbol stamped on a page (its dark modules, left, top, bottom) and the code drawn
    after it (its text and baseline), read back from the page's content stream."""
    data = page.get_contents().get_data().decode("latin-1")
    found = []
    for match in re.finditer(
        r"q 0 g ([\d.]+) 0 0 -[\d.]+ ([\d.]+) ([\d.]+) cm\n(.*?)f Q\nBT \S+ [\d.]+ Tf 0 g "
        r"[\d.]+ ([\d.]+) Td\n\(([^)]*)\) Tj ET",
        data,
        re.S,
    ):
        module, left, top = (float(v) for v in match.group(1, 2, 3))
        dark = set()
        for x, y, width in re.findall(r"(\d+) (\d+) (\d+) 1 re", match.group(4)):
            dark.update((int(y), int(x) + k) for k in range(int(width)))
        size = max(i for i, _j in dark) + 1
        found.append((dark, left, top, top - size * module, match.group(6), float(match.group(5))))
    return found


def test_each_slip_s_qr_symbol_is_the_link_of_the_code_printed_beside_it(cast):
    plain = [codes.new_code() for _ in range(13)]
    pdf = slips_pdf(session=cast.session, codes=plain, base_url="http://10.0.0.2:8000/")
    stamped = [s for page in PdfReader(io.BytesIO(pdf)).pages for s in _stamped(page)]
    assert len(stamped) == 13
    for code, (dark, _left, top, bottom, text, baseline) in zip(plain, stamped, strict=True):
        assert text == codes.display(code)
        symbol = segno.make(ballot_link("http://10.0.0.2:8000/", code), error="m").matrix
        expected = {(i, j) for i, row in enumerate(symbol) for j, v in enumerate(row) if v}
        assert dark == expected
        assert bottom < baseline < top  # the code sits beside its own symbol, not another's
