"""Importing a counted tally sheet: the command, the browser, and every bad input."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from ballots.models import CountSheet, TallyCount
from ballots.tally_file import parse_tally_file
from results.tally import result_compute
from sessions.models import AuditEvent, VotingSession
from tests.ballots.import_confirm import confirm

GOOD = (
    "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
    "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n"
    "2,Nông Đức Hải,Phó Chủ tịch,19,2,25\n"
)


def _run(tmp_path, content, *args, name="tally.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tally", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_a_closed_session_ready_to_certify(tmp_path, db):
    out, _ = _run(
        tmp_path,
        GOOD,
        "--title",
        "Hội nghị 2026",
        "--regime",
        "qd96",
        "--procedure",
        "rating",
        "--collected",
        "47",
        "--issued",
        "48",
        "--organization",
        "Hội CCB tỉnh",
        "--date",
        "2026-09-14",
    )
    public_id = out.strip().splitlines()[-1]
    session = VotingSession.objects.get(public_id=public_id)
    assert (session.status, session.mode, str(session.date)) == (
        "closed",
        "paper_tally",
        "2026-09-14",
    )
    result = result_compute(session)
    second = result.candidates[1]
    assert [(lr.count, str(lr.percent)) for lr in second.levels] == [
        (19, "40.43"),
        (2, "4.26"),
        (25, "53.19"),
    ]
    assert second.invalid == 1  # 47 collected − 46 counted
    assert second.band_code == "over_half"
    assert result.candidates[0].invalid == 0
    assert (result.present, result.absent, result.quorum_met) == (None, None, False)
    assert AuditEvent.objects.filter(session=session, action="tally_imported").exists()


def test_an_nq85_history_session_divides_by_the_members(tmp_path, db):
    out, _ = _run(
        tmp_path,
        GOOD,
        "--title",
        "2018",
        "--regime",
        "nq85",
        "--collected",
        "47",
        "--summoned",
        "50",
    )
    session = VotingSession.objects.get(public_id=out.strip().splitlines()[-1])
    result = result_compute(session)
    assert result.denominator == 50
    assert str(result.candidates[1].levels[2].percent) == "50.00"
    assert result.candidates[1].band_code == "none"  # 25 of 50 is exactly half


def test_english_headers_in_any_order_and_a_vote_of_confidence(tmp_path, db):
    content = "no_confidence,name,confidence,position\n30,Lê Minh Tiến,17,Chủ tịch UBND\n"
    out, _ = _run(
        tmp_path,
        content,
        "--title",
        "BPTN",
        "--regime",
        "nq96",
        "--procedure",
        "confidence",
        "--collected",
        "47",
    )
    session = VotingSession.objects.get(public_id=out.strip().splitlines()[-1])
    line = result_compute(session).candidates[0]
    assert [lr.count for lr in line.levels] == [17, 30]
    assert line.band_code == "no_confidence_majority"


def test_an_xlsx_file_imports_too(tmp_path, db):
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["Họ và tên", "Chức vụ", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Không hợp lệ"],
        ["A B", "Chủ tịch", 10, 0, 0, 0],
    ]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out, _ = _run(
        tmp_path,
        buffer.getvalue(),
        "--title",
        "X",
        "--regime",
        "qd96",
        "--collected",
        "10",
        name="t.xlsx",
    )
    assert VotingSession.objects.filter(public_id=out.strip().splitlines()[-1]).exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nA,-1,0,0\n", "tín nhiệm cao"),
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nA,x,0,0\n", "“x”"),
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nA,48,0,0\n", "48"),
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nA,20,20,20\n", "60"),
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm\nA,20,20\n", "tín nhiệm thấp"),
        ("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp,Không hợp lệ\nA,20,20,1,1\n", "42"),
        ("", ""),
    ],
    ids=[
        "negative",
        "not-a-number",
        "above-collected",
        "sum-above",
        "missing-column",
        "invalid-mismatch",
        "empty",
    ],
)
def test_each_bad_file_is_rejected_with_row_column_and_reason_and_nothing_created(
    tmp_path, db, content, expected
):
    with pytest.raises(CommandError):
        _, err = _run(tmp_path, content, "--title", "X", "--regime", "qd96", "--collected", "47")
    parsed = parse_tally_file("t.csv", content.encode(), procedure="rating", collected=47)
    assert parsed.problems
    assert expected in " ".join(str(p) for p in parsed.problems).lower()
    assert not VotingSession.objects.exists()
    assert not TallyCount.objects.exists()


def test_problems_name_the_row_and_the_column(db):
    parsed = parse_tally_file(
        "t.csv",
        "Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nA,-1,0,0\n".encode(),
        procedure="rating",
        collected=47,
    )
    assert (parsed.problems[0].row, parsed.problems[0].column) == (2, "Tín nhiệm cao")


@pytest.mark.parametrize(
    "args",
    [
        ["--regime", "qd99"],
        ["--regime", "qd96", "--collected", "-3"],
        ["--regime", "qd96", "--collected", "5", "--issued", "3"],
        ["--regime", "nq85"],
    ],
    ids=["unknown-regime", "negative-collected", "collected-above-issued", "nq85-no-summoned"],
)
def test_bad_arguments_are_refused_and_nothing_created(tmp_path, db, args):
    if "--collected" not in args:
        args = [*args, "--collected", "47"]
    with pytest.raises((CommandError, SystemExit)):
        _run(tmp_path, GOOD, "--title", "X", *args)
    assert not VotingSession.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(tmp_path, db):
    with pytest.raises(CommandError):
        _run(
            tmp_path,
            b"%PDF-1.4\x00\x01binary",
            "--title",
            "X",
            "--regime",
            "qd96",
            "--collected",
            "47",
            name="t.pdf",
        )
    assert not VotingSession.objects.exists()


def test_the_browser_import_creates_the_same_session(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": cast.org.pk,
            "title": "Nhập từ trình duyệt",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 47,
            "issued": 47,
            "file": SimpleUploadedFile("t.csv", GOOD.encode()),
        },
    )
    assert not VotingSession.objects.filter(title="Nhập từ trình duyệt").exists()
    response = confirm(client, response)
    session = VotingSession.objects.get(title="Nhập từ trình duyệt")
    assert response.status_code == 302
    assert CountSheet.objects.get(session=session).collected == 47
    assert result_compute(session).candidates[1].band_code == "over_half"


def test_the_browser_import_shows_problems_and_creates_nothing(client, cast):
    client.force_login(cast.secretariat)
    before = VotingSession.objects.count()
    response = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": cast.org.pk,
            "title": "Lỗi",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 10,
            "file": SimpleUploadedFile("t.csv", GOOD.encode()),
        },
    )
    assert response.status_code == 400
    assert "dòng 2" in response.content.decode() or "row 2" in response.content.decode()
    assert VotingSession.objects.count() == before


def test_only_the_secretariat_imports_into_its_organization(client, cast):
    client.force_login(cast.committee)
    response = client.get(reverse("ballots:tally_import"))
    assert response.status_code == 302
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": cast.other_org.pk,
            "title": "X",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 47,
            "file": SimpleUploadedFile("t.csv", GOOD.encode()),
        },
    )
    assert response.status_code == 200
    assert not VotingSession.objects.filter(title="X").exists()


@pytest.mark.parametrize("value", ["²", "--5", "٣", "1_0"])
def test_a_count_that_only_looks_like_a_number_is_a_named_problem(value):
    text = f"Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nAn,{value},1,1\n"
    parsed = parse_tally_file("t.csv", text.encode(), procedure="rating", collected=47)
    assert parsed.problems and not parsed.rows
