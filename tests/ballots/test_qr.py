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


def test_a_sessions_slips_share_one_learned_symbol_and_segno_makes_only_the_odd_ones(monkeypatch):
    """The links of one session differ only after "#": their symbols come from one reference
    and its bit flips (ballots/qr.py `_learned`), checked above module for module against segno;
    a link too long for version 6, or not plain ASCII, is segno's own."""
    from ballots import qr

    link = f"http://192.168.1.10:8000/b/#{codes.display('7KQ2M9XH4CTD8WZ')}"
    assert qr._from_learned(link) is not None
    calls = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda *a, **k: calls.append(a) or real(*a, **k))
    qr.qr_matrix(f"http://192.168.1.10:8000/b/#{codes.display('ABCDEFGHJK23456')}")
    monkeypatch.undo()
    assert calls == []  # learned once: no segno symbol for another slip of the session
    long = "https://tinnhiem.hoi-dong-nhan-dan-tinh-quang-nam.gov.vn:8443/mot/duong/dan/rat/dai/nua"
    assert qr._from_learned(f"{long}/b/#{codes.display('7KQ2M9XH4CTD8WZ')}") is None
    assert qr._from_learned("http://bầu-cử.vn/b/#ABCDE-FGHJK-23456") is None
    assert qr.qr_matrix("http://bầu-cử.vn/b/#ABCDE-FGHJK-23456") == _segno(
        "http://bầu-cử.vn/b/#ABCDE-FGHJK-23456"
    )
