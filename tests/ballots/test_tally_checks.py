"""The one set of checks on an imported tally: figures and rows (ballots/tally_checks.py)."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from ballots.forms import TallyImportForm
from ballots.tally_checks import RowCounts, tally_import_problems
from sessions.models import Organization


def _fields(**kwargs):
    with override("en"):
        return [(p.field, p.line, p.message) for p in tally_import_problems(**kwargs)]


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({"regime": "qd96", "collected": 47, "issued": 48}, []),
        (
            {"regime": "qd96", "collected": 5, "issued": 3},
            [("collected", None, "More ballots collected than issued.")],
        ),
        (
            {"regime": "nq96", "collected": 3, "issued": 5, "summoned": 4},
            [("issued", None, "More ballots issued than people summoned.")],
        ),
        (
            {"regime": "nq85", "collected": 47},
            [("summoned", None, "Required for Resolution 85: it is the denominator.")],
        ),
        ({"regime": "nq85", "collected": 47, "summoned": 50}, []),
        ({"regime": "qd96", "collected": None, "issued": 3}, []),
    ],
)
def test_the_figures_are_checked_once_for_every_caller(figures, expected):
    assert _fields(**figures) == expected


@pytest.mark.parametrize(
    ("counts", "invalid", "expected"),
    [
        ({"high": 40, "medium": 5, "low": 2}, None, []),
        ({"high": 40, "medium": 5, "low": 2}, 0, [("invalid", "add up to 47, not the 48")]),
        ({"high": 49, "medium": 0, "low": 0}, None, [("high", "49 is more than the 48")]),
        ({"high": 20, "medium": 20, "low": 20}, None, [("name", "add up to 60, more than")]),
        ({"high": None, "medium": 50, "low": 0}, None, [("medium", "50 is more than")]),
        ({"high": 40, "medium": 5, "low": 2}, 50, [("invalid", "50 is more than the 48")]),
    ],
)
def test_each_row_is_checked_against_the_ballots_collected(counts, invalid, expected):
    row = RowCounts(line=7, counts=counts, invalid=invalid)
    found = _fields(collected=48, rows=[row])
    assert [(field, line) for field, line, _m in found] == [(f, 7) for f, _t in expected]
    for (_f, _l, message), (_field, text) in zip(found, expected, strict=True):
        assert text in message


def test_the_import_form_shows_the_figure_problems_on_their_fields(db):
    organization = Organization.objects.create(name="Hội CCB", kind="mass")
    form = TallyImportForm(
        {
            "organization": organization.pk,
            "title": "X",
            "date": "2026-09-14",
            "regime": "nq85",
            "procedure": "rating",
            "collected": 5,
            "issued": 3,
        },
        organizations=Organization.objects.all(),
    )
    assert not form.is_valid()
    assert {"collected", "summoned"} <= set(form.errors)
