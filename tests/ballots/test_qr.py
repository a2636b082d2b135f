"""ballots.qr: the slip's QR symbol is exactly the one segno would make, mask choice included."""

from __future__ import annotations

import random

import pytest
import segno

from ballots import codes
from ballots.qr import qr_matrix


def _segno(text: str) -> tuple[bytes, ...]:
    return tuple(bytes(row) for row in segno.make(text, error="m").matrix)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://192.168.1.10:8000",
        "http://x",
        "https://bau-cu.so-noi-vu.tinh-quang-nam.gov.vn:8443",
        # Long enough for version 7 and up, where segno alone makes the symbol.
        "https://tinnhiem.hoi-dong-nhan-dan-tinh-quang-nam.gov.vn:8443/mot/duong/dan/rat/dai/nua",
    ],
)
def test_the_symbol_is_module_for_module_segnos_whatever_mask_wins(base_url):
    rng = random.Random(base_url)
    masks, versions = set(), set()
    for _ in range(120):
        code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        text = f"{base_url}/b/#{codes.display(code)}"
        assert qr_matrix(text) == _segno(text), text
        symbol = segno.make(text, error="m")
        masks.add(symbol.mask)
        versions.add(symbol.version)
    if max(versions) < 7:
        assert len(masks) >= 6  # the comparison went through most of the eight masks
