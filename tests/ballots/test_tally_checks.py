"""The one set of checks on an imported tally: figures and rows (ballots/tally_checks.py)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import override

from ballots.forms import TallyImportForm
from ballots.tally_checks import RowCounts, tally_import_problems
from sessions.models import AuditEvent, Organization, VotingSession


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
            [
                (
                    "summoned",
                    None,
                    "Required under this legal basis: percentages are over all members summoned.",
                )
            ],
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


GOOD_FILE = (
    "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
    "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n"
    "2,Nông Đức Hải,Phó Chủ tịch,19,2,25\n"
)


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        ({"collected": str(10**30)}, "collected", "at most 2147483647"),
        ({"collected": str(2**31)}, "collected", "at most 2147483647"),
        ({"collected": "47", "issued": str(2**63)}, "issued", "at most 2147483647"),
        ({"collected": "-3"}, "collected", "a count cannot be negative."),
        ({"collected": "²"}, "collected", "“²” is not a whole number."),
        ({"collected": "٤٧"}, "collected", "“٤٧” is not a whole number."),
        ({"collected": "4x7"}, "collected", "“4x7” is not a whole number."),
        ({"collected": "47", "summoned": "0"}, "summoned", "At least one person is summoned."),
        (
            {"collected": "47", "regime": "nq85"},
            "summoned",
            "Required under this legal basis: percentages are over all members summoned.",
        ),
        ({"collected": "47", "issued": "40"}, "collected", "More ballots collected than issued."),
    ],
)
def test_the_browser_form_and_the_command_refuse_a_bad_figure_with_the_same_message(
    client, cast, tmp_path, figures, field, message
):
    figures = dict(figures)
    regime = figures.pop("regime", "qd96")
    before = (VotingSession.objects.count(), AuditEvent.objects.count())
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": cast.org.pk,
            "title": "Nhập",
            "date": "2026-09-14",
            "regime": regime,
            "procedure": "rating",
            **figures,
            "file": SimpleUploadedFile("t.csv", GOOD_FILE.encode()),
        },
    )
    assert response.status_code == 200
    [shown] = response.context["form"].errors[field]
    path = tmp_path / "t.csv"
    path.write_text(GOOD_FILE)
    args = [str(path), "--title", "Nhập", "--regime", regime]
    for name, value in figures.items():
        args += [f"--{name}", value]

    def command() -> str:
        with pytest.raises(CommandError) as excinfo:
            call_command("import_tally", *args, stdout=io.StringIO(), stderr=io.StringIO())
        return str(excinfo.value)

    with override(response.wsgi_request.LANGUAGE_CODE):
        assert shown in command()
    with override("en"):
        assert message in command()
    assert (VotingSession.objects.count(), AuditEvent.objects.count()) == before
