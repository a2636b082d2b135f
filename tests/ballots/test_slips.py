"""The voter code slips: ten to an A4 page, each with its code, QR and the whole address."""

from __future__ import annotations

import io

from pypdf import PdfReader

from ballots import codes
from ballots.documents import slips_pdf


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
