"""The date line of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

NĐ 30 writes the day with two digits below 10 and the month with two digits only for January
and February ("ngày 05 tháng 9 năm 2023", "ngày 03 tháng 02 năm 2024", "ngày 15 tháng 12 năm
2026"): domain.md, "The minutes", item 1.
"""

from __future__ import annotations

import datetime


def document_day(date: datetime.date) -> str:
    return f"{date.day:02d}"


def document_month(date: datetime.date) -> str:
    return f"{date.month:02d}" if date.month <= 2 else str(date.month)


def date_line(date: datetime.date, place: str = "") -> str:
    """ "<place>, ngày 05 tháng 9 năm 2023" (the Vietnamese words: the line is part of the form)."""
    line = f"ngày {document_day(date)} tháng {document_month(date)} năm {date.year}"
    return f"{place}, {line}" if place else line
