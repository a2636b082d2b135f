"""Showing results: Vietnamese number format on screen and paper, and the stacked bar."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from results.tally import CandidateResult
from sessions.dates import date_line, document_day, document_month

register = template.Library()

BAR_CLASSES = {
    "high": "bar-high",
    "medium": "bar-medium",
    "low": "bar-low",
    "yes": "bar-high",
    "no": "bar-low",
}


@register.filter
def document_date(value: datetime.date, place: str = "") -> str:
    """The NĐ 30 date line: "Bắc Kạn, ngày 05 tháng 9 năm 2023" (sessions.dates)."""
    return date_line(value, place)


@register.filter
def doc_day(value: datetime.date) -> str:
    return document_day(value)


@register.filter
def doc_month(value: datetime.date) -> str:
    return document_month(value)


@register.filter
def pct(value: Decimal) -> str:
    """53.19 → "53,19%" in Vietnamese, "53.19%" in English; two decimals, trailing zero kept."""
    return f"{number_format(value, 2, use_l10n=True)}%"


@register.inclusion_tag("results/_bar.html")
def result_bar(line: CandidateResult, denominator: int) -> dict:
    """A stacked bar of each level and the invalid lines, as shares of the denominator."""
    segments = []
    x = Decimal(0)
    parts = [(lr.level, lr.percent) for lr in line.levels] + [("invalid", line.invalid_percent)]
    for level, share in parts:
        width = min(share, Decimal(100) - x)
        if width > 0:
            segments.append({"x": x, "width": width, "css": BAR_CLASSES.get(level, "bar-invalid")})
            x += width
    return {"segments": segments, "line": line}
