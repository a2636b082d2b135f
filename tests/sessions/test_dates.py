"""The date line of a document follows NĐ 30/2020/NĐ-CP (domain.md, the minutes, item 1)."""

from __future__ import annotations

import datetime

import pytest

from sessions.dates import date_line


@pytest.mark.parametrize(
    ("date", "line"),
    [
        (datetime.date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
        (datetime.date(2024, 2, 3), "ngày 03 tháng 02 năm 2024"),
        (datetime.date(2023, 9, 5), "ngày 05 tháng 9 năm 2023"),
        (datetime.date(2023, 10, 15), "ngày 15 tháng 10 năm 2023"),
        (datetime.date(2026, 12, 15), "ngày 15 tháng 12 năm 2026"),
    ],
)
def test_the_day_is_padded_below_ten_and_the_month_only_for_january_and_february(date, line):
    assert date_line(date) == line


def test_the_place_comes_before_the_date():
    assert date_line(datetime.date(2023, 9, 5), "Bắc Kạn") == "Bắc Kạn, ngày 05 tháng 9 năm 2023"
