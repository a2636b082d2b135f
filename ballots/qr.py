"""The QR symbol of a slip: segno's own symbol, its data mask chosen with whole-row arithmetic.

ISO/IEC 18004 has the encoder try the eight data masks and keep the one with the lowest penalty
(7.8.3). segno does that in pure Python, one module at a time: 3.7 ms a symbol, 1.8 s of the
2 s that 500 slips may take (issue 15). `qr_matrix` (1.3 ms) asks segno for the symbol under
mask 0 only, derives the other seven by flipping the modules each mask flips (learnt once per
version from segno's own symbols of a fixed text), scores them with whole rows and columns at
once (the same four penalty rules and the same arithmetic as segno's `mask_scores`), and writes
the winner's format information taken from segno's reference symbol. The result is module for
module `segno.make(text, error="m").matrix` (tests/ballots/test_qr.py compares them); symbols of
version 7 and up, which carry version information too, are left to segno.

The mask-0 symbol itself comes from segno once per session address, not once per slip: a
session's links differ only in the code after "#", and a symbol's data and error correction
modules are linear in the message's bits, so `_learned` keeps a reference link's symbol and the
modules each bit of the code flips (half the time of 500 slips' symbols went to segno).
"""

from __future__ import annotations

from functools import lru_cache

import segno

MASKS = range(8)
_FINDER_LIKE = "1011101"
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def _format_region(size: int) -> list[tuple[int, int]]:
    """The 15 format-information modules, twice, and the dark module (ISO/IEC 18004, 7.9.1)."""
    around_top_left = [(8, j) for j in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        (i, 8) for i in (0, 1, 2, 3, 4, 5, 7)
    ]
    others = [(8, j) for j in range(size - 8, size)] + [(i, 8) for i in range(size - 8, size)]
    return around_top_left + others


@lru_cache(maxsize=16)
def _reference(version: int, error: str) -> tuple[list[int], list[tuple[int, int, int]]]:
    """For one version and error level: per mask, the rows' bits that differ from mask 0 (as
    integers, column 0 the highest bit), and the format modules' values (row, column, value)."""
    symbols = [
        segno.make("0", version=version, error=error, mask=m, boost_error=False).matrix
        for m in MASKS
    ]
    size = len(symbols[0])
    region = _format_region(size)
    flips = []
    for symbol in symbols:
        rows = [
            bytearray(a ^ b for a, b in zip(r0, r, strict=True))
            for r0, r in zip(symbols[0], symbol, strict=True)
        ]
        for i, j in region:
            rows[i][j] = 0
        flips.append([_bits(row) for row in rows])
    formats = [[(i, j, symbol[i][j]) for i, j in region] for symbol in symbols]
    return flips, formats


def _bits(row) -> int:
    return int(bytes(row).translate(_TO_DIGITS), 2)


def _n3(line: str, size: int) -> int:
    """segno's N3 (1:1:3:1:1 with four light modules on one side), scanned as segno scans it."""
    count = 0
    idx = line.find(_FINDER_LIKE)
    while idx != -1:
        offset = idx + 7
        if (
            idx in (0, size - 7)
            or "1" not in line[max(idx - 4, 0) : idx]
            or "1" not in line[offset : offset + 4]
        ):
            count += 40
        else:
            offset = idx + 4
        idx = line.find(_FINDER_LIKE, offset)
    return count


def _runs(plane: int) -> int:
    """segno's N1 for every line packed in `plane`: 3 + (length - 5) for each run of five or more.

    Lines are packed one after the other with a 0 bit between them, so no run crosses a line."""
    five = plane & (plane >> 1) & (plane >> 2) & (plane >> 3) & (plane >> 4)
    return five.bit_count() + 2 * (five & ~(five << 1)).bit_count()


def _penalty(rows: list[int], size: int) -> int:
    """N1 + N2 + N3 + N4 of a symbol given as row integers (segno's `mask_scores`, summed)."""
    lines = [format(row, f"0{size}b") for row in rows]
    columns = ["".join(column) for column in zip(*lines, strict=True)]
    full = _full(size)
    dark_rows, dark_columns = int("0".join(lines), 2), int("0".join(columns), 2)
    n1 = (
        _runs(dark_rows)
        + _runs(dark_rows ^ full)
        + _runs(dark_columns)
        + _runs(dark_columns ^ full)
    )
    n2 = 0
    edge = (1 << (size - 1)) - 1  # pairs (j, j+1): size - 1 of them
    for above, below in zip(rows, rows[1:], strict=False):
        same = ~(above ^ (above >> 1)) & ~(below ^ (below >> 1)) & ~(above ^ below) & edge
        n2 += 3 * same.bit_count()
    n3 = sum(_n3(line, size) for line in lines + columns if _FINDER_LIKE in line)
    dark = dark_rows.bit_count()
    n4 = 10 * int(abs(float(dark) / (size**2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


@lru_cache(maxsize=16)
def _full(size: int) -> int:
    """Every module of a packed plane set (the separating bits clear)."""
    return int("0".join(["1" * size] * size), 2)


def _unmasked(symbol) -> list[int]:
    """A mask-0 symbol's rows as integers, its format modules cleared (segno scores before
    writing the format information)."""
    rows = [bytearray(row) for row in symbol.matrix]
    for i, j, _value in _reference(symbol.version, symbol.error)[1][0]:
        rows[i][j] = 0
    return [_bits(row) for row in rows]


@lru_cache(maxsize=8)
def _learned(prefix: str, length: int) -> tuple[int, str, list[int], list[list[list[int]]]] | None:
    """For the links `prefix` + `length` ASCII characters (a session's slips differ only in the
    code after "#"): a reference link's version, error level and mask-0 rows, and for each
    character and bit the rows that flipping that bit flips. The data and error correction bits
    are linear in the message's bits (ISO/IEC 18004, 7.5), so any such link's mask-0 symbol is the
    reference's with the flips of the bits where they differ: one segno symbol per bit, once,
    instead of one per slip. None where segno alone makes the symbol, or not in byte mode."""
    reference = prefix + "0" * length
    first = segno.make(reference, error="m", mask=0)
    if first.is_micro or first.version >= 7 or first.mode != "byte":
        return None
    base = _unmasked(first)
    message = reference.encode("ascii")
    flips = []
    for position in range(len(prefix), len(message)):
        per_bit = []
        for bit in range(7):
            changed = bytearray(message)
            changed[position] ^= 1 << bit
            symbol = segno.make(
                bytes(changed),
                error=first.error,
                version=first.version,
                mode="byte",
                mask=0,
                boost_error=False,
            )
            per_bit.append([a ^ b for a, b in zip(_unmasked(symbol), base, strict=True)])
        flips.append(per_bit)
    return first.version, first.error, base, flips


def _from_learned(text: str) -> tuple[int, str, list[int]] | None:
    prefix, mark, code = text.rpartition("#")
    if not mark or not code.isascii() or not (text.isascii() and text.isprintable()):
        return None
    learned = _learned(prefix + mark, len(code))
    if learned is None:
        return None
    version, error, base, flips = learned
    rows = list(base)
    for per_bit, character in zip(flips, code, strict=True):
        differs = ord(character) ^ ord("0")
        for bit in range(7):
            if differs >> bit & 1:
                rows = [row ^ flip for row, flip in zip(rows, per_bit[bit], strict=True)]
    return version, error, rows


def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The modules (1 = dark) of `segno.make(text, error="m")`, row by row, without border."""
    learned = _from_learned(text)
    if learned is not None:
        version, error, base = learned
    else:
        first = segno.make(text, error="m", mask=0)
        if first.is_micro or first.version >= 7:
            return tuple(bytes(row) for row in segno.make(text, error="m").matrix)
        version, error, base = first.version, first.error, _unmasked(first)
    flips, formats = _reference(version, error)
    size = len(base)
    best, best_score = 0, None
    for mask in MASKS:
        score = _penalty([row ^ flip for row, flip in zip(base, flips[mask], strict=True)], size)
        if best_score is None or score < best_score:
            best, best_score = mask, score
    rows = [
        bytearray(format(row ^ flip, f"0{size}b").encode().translate(_FROM_DIGITS))
        for row, flip in zip(base, flips[best], strict=True)
    ]
    for i, j, value in formats[best]:
        rows[i][j] = value
    return tuple(bytes(row) for row in rows)
