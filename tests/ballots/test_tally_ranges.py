"""Counts and names out of the model's range are refused before anything is saved: the same
errors on SQLite and PostgreSQL, from the tally file, the import page, `import_tally` and the
tally sheet typed in (a PostgreSQL integer holds at most 2³¹ − 1)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import override

from ballots import services
from ballots.forms import TallyImportForm
from ballots.models import CountSheet, TallyCount
from ballots.tally_checks import MAX_COUNT, parse_count
from ballots.tally_file import parse_tally_file
from sessions import services as session_services
from sessions.models import Official, Organization, VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, make_session

HEADER = "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
HUGE = [str(2**31), str(2**63), str(10**30), "9" * 5000, "²", "١٢", "１２"]


@pytest.mark.parametrize("text", HUGE)
def test_a_count_out_of_range_or_not_in_ascii_digits_is_not_a_count(text):
    value, problem = parse_count(text)
    assert value is None and problem


def test_the_largest_count_a_postgresql_integer_holds_is_a_count():
    assert parse_count(str(MAX_COUNT)) == (MAX_COUNT, "")


@pytest.mark.parametrize("text", HUGE)
def test_a_huge_count_in_a_tally_file_is_refused_with_its_row_and_column(text):
    data = (HEADER + f"1,Hoàng Văn Thành,Chủ tịch,{text},5,2\n").encode()
    with override("en"):
        parsed = parse_tally_file("kq.csv", data, procedure="rating", collected=47)
    assert not parsed.rows
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Tín nhiệm cao")]


@pytest.mark.parametrize(("column", "length"), [("Họ và tên", 151), ("Chức vụ", 301)])
def test_a_name_or_position_longer_than_the_model_is_refused_with_its_row(column, length):
    name, position = "Hoàng Văn Thành", "Chủ tịch"
    if column == "Họ và tên":
        name = "A" * length
    else:
        position = "B" * length
    data = (HEADER + f"1,{name},{position},40,5,2\n2,Nông Đức Hải,Phó Chủ tịch,19,2,25\n").encode()
    with override("en"):
        parsed = parse_tally_file("kq.csv", data, procedure="rating", collected=47)
    assert [(p.row, p.column) for p in parsed.problems] == [(2, column)]
    assert f"longer than {length - 1} characters" in parsed.problems[0].message
    assert [r.full_name for r in parsed.rows] == ["Nông Đức Hải"]


def test_the_name_limit_is_the_models():
    assert Official._meta.get_field("full_name").max_length == 150


# --- The import page and the command ----------------------------------------------------------


def _import_page(client, cast, content, **figures):
    client.force_login(cast.secretariat)
    data = {
        "organization": cast.org.pk,
        "title": "Hội nghị",
        "date": "2026-09-14",
        "regime": "qd96",
        "procedure": "rating",
        "collected": "47",
        "file": SimpleUploadedFile("kq.csv", content.encode()),
    }
    data.update(figures)
    return client.post(reverse("ballots:tally_import"), data)


def test_the_import_page_refuses_a_100000_character_name_and_creates_nothing(client, cast):
    sessions, officials = VotingSession.objects.count(), Official.objects.count()
    response = _import_page(client, cast, HEADER + f"1,{'A' * 100_000},Chủ tịch,40,5,2\n")
    assert response.status_code == 400
    assert "Họ và tên" in response.content.decode()
    assert (VotingSession.objects.count(), Official.objects.count()) == (sessions, officials)


@pytest.mark.parametrize("figure", ["collected", "issued", "summoned"])
@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30)])
def test_the_import_page_refuses_a_figure_out_of_range_on_its_field(client, cast, figure, value):
    sessions = VotingSession.objects.count()
    response = _import_page(
        client, cast, HEADER + "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n", **{figure: value}
    )
    assert response.status_code == 200  # the form itself, with the field marked
    assert figure in response.context["form"].errors
    assert str(MAX_COUNT) in response.context["form"].errors[figure][0]
    assert VotingSession.objects.count() == sessions


def test_the_import_form_says_the_same_as_the_command(db):
    organization = Organization.objects.create(name="Hội CCB", kind="mass")
    form = TallyImportForm(
        {
            "organization": organization.pk,
            "title": "X",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 2**31,
        },
        organizations=Organization.objects.all(),
    )
    assert not form.is_valid()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_tally", "x.csv", "--title", "X", "--regime", "qd96", "--collected", str(2**31)
        )
    assert form.errors["collected"] == [str(refused.value)]


def _command(tmp_path, content, *extra):
    path = tmp_path / "kq.csv"
    path.write_text(content)
    args = ["--title", "Hội nghị", "--regime", "qd96", "--collected", "47", *extra]
    call_command("import_tally", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize(
    ("content", "extra"),
    [
        (HEADER + f"1,{'A' * 200},Chủ tịch,40,5,2\n", []),
        (HEADER + f"1,Hoàng Văn Thành,Chủ tịch,{2**31},5,2\n", []),
        (HEADER + "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n", ["--issued", str(10**30)]),
        (HEADER + "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n", ["--summoned", "²"]),
        (HEADER + "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n", ["--organization", "H" * 201]),
    ],
    ids=["long-name", "count-2^31", "issued-10^30", "summoned-superscript", "long-organization"],
)
def test_the_command_refuses_out_of_range_input_and_creates_nothing(db, tmp_path, content, extra):
    organizations = Organization.objects.count()
    with pytest.raises(CommandError):
        _command(tmp_path, content, *extra)
    assert not VotingSession.objects.exists()
    assert Organization.objects.count() == organizations


# --- The tally sheet typed in -----------------------------------------------------------------


@built_once
def tally_ranges():
    cast = build_cast()
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_tally"), cast.secretariat, voters=6
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    cast.tally = session
    cast.candidates = list(session.candidates.order_by("order"))
    return cast


def _sheet(cast, **overrides):
    data = {"present": 6, "issued": 6, "collected": 5, "whole_invalid": 1, "explanation": ""}
    for c in cast.candidates:
        data.update(
            {f"n_{c.pk}_high": 2, f"n_{c.pk}_medium": 1, f"n_{c.pk}_low": 1, f"n_{c.pk}_invalid": 0}
        )
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30), "9" * 5000, "²"])
@pytest.mark.parametrize("field", ["collected", "present", "whole_invalid", "count"])
def test_the_tally_sheet_refuses_a_number_out_of_range_and_saves_nothing(
    client, tally_ranges, field, value
):
    if field == "count":
        field = f"n_{tally_ranges.candidates[0].pk}_high"
    client.force_login(tally_ranges.committee)
    response = client.post(
        reverse("ballots:tally", args=[tally_ranges.tally.pk]),
        _sheet(tally_ranges, **{field: value}),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not TallyCount.objects.filter(session=tally_ranges.tally).exists()
    assert not CountSheet.objects.filter(session=tally_ranges.tally).exists()
