"""Operators put into a WeasyPrint page's content where their text belongs in reading order.

results/minutes_table.py draws the minutes' table rows after layout; `splice` puts each row
into the page's own content stream (still a list of operator lines when WeasyPrint's finisher
runs) where a reader, a search or a screen reader should meet it, not after everything else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageStamp:
    """The drawn rows of one page: each row's top (CSS px from the page's top) and operators in
    the page's default space, and the page's content area (outside it: the running heads)."""

    rows: list[tuple[float, bytes]]
    content: tuple[float, float]


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: `m cm` with n current gives m × n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def splice(chunks: list, stamp: PageStamp) -> list:
    """The page's operators with each row put before the first text set below its top or
    outside the content area (the running heads, set last), or else at the end.

    WeasyPrint writes a page's text in document order and its margin boxes last, each text
    positioned by `a b c d e y Tm` in its CSS pixels from the page's top. A row goes in as
    `q <the inverse of the current matrix> cm … Q`, between text objects (one open there is
    ended and begun again), so that it draws in the default space and changes no state."""
    out: list = []
    pending = list(stamp.rows)
    stack: list[Matrix] = []
    ctm, in_text = IDENTITY, False

    def put(operators: bytes) -> None:
        inverse = " ".join(f"{round(v, 6) + 0.0:.6f}" for v in _inverse(ctm))
        out.extend([b"ET"] * in_text + [b"q", f"{inverse} cm".encode(), operators, b"Q"])
        out.extend([b"BT"] * in_text)

    top, bottom = stamp.content
    for chunk in chunks:
        if pending and isinstance(chunk, bytes) and chunk.endswith(b" Tm"):
            y = float(chunk.split()[5])
            while pending and (y > pending[0][0] or not top <= y <= bottom):
                put(pending.pop(0)[1])
        out.append(chunk)
        if chunk == b"q":
            stack.append(ctm)
        elif chunk == b"Q" and stack:
            ctm = stack.pop()
        elif chunk in (b"BT", b"ET"):
            in_text = chunk == b"BT"
        elif isinstance(chunk, bytes) and chunk.endswith(b" cm"):
            ctm = _times(tuple(float(v) for v in chunk.split()[:6]), ctm)
    for _top, operators in pending:
        put(operators)
    return out
