"""Importing the summoned voters: every bad file gives a clear message and imports nothing."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sessions.imports import parse_voter_file
from sessions.models import AuditEvent, Voter

LEGACY_BYTES = unicodedata.normalize("NFD", "Họ và tên\nNguyễn Văn A\n").encode(
    "cp1258", errors="replace"
)
GOOD_CSV = (
    "STT,Họ và tên,Chức vụ, đơn vị\n1,Nguyễn Văn An,Ủy viên BCH\n2,Trần Thị Bình,Chi ủy viên\n"
)


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_vietnamese_csv_with_bom_reads_every_row():
    result = parse_voter_file("ds.csv", ("\ufeff" + GOOD_CSV).encode())
    assert result.ok
    assert [(r.full_name, r.unit) for r in result.rows] == [
        ("Nguyễn Văn An", "Ủy viên BCH"),
        ("Trần Thị Bình", "Chi ủy viên"),
    ]


def test_the_sample_file_offered_on_the_import_page_imports_cleanly():
    from django.conf import settings

    sample = settings.BASE_DIR / "static" / "samples" / "danh-sach-trieu-tap-mau.csv"
    result = parse_voter_file(sample.name, sample.read_bytes())
    assert result.ok
    assert result.rows[2].unit == "Chủ tịch Hội CCB huyện Ba Bể"


def test_english_headers_and_semicolons_are_understood():
    data = "No;Full name;Position\n1;Hà Văn Quân;Deputy\n".encode()
    result = parse_voter_file("list.csv", data)
    assert result.ok
    assert result.rows[0].full_name == "Hà Văn Quân"
    assert result.rows[0].unit == "Deputy"


def test_headers_without_diacritics_are_understood():
    result = parse_voter_file("x.csv", b"Ho va ten,Don vi\nLe Van Ba,Xa A\n")
    assert result.ok


def test_decomposed_unicode_is_stored_composed():
    name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    result = parse_voter_file("x.csv", f"Họ và tên\n{name}\n".encode())
    assert result.rows[0].full_name == unicodedata.normalize("NFC", name)


def test_an_xlsx_with_a_title_row_above_the_header_is_read():
    data = xlsx_bytes([[None], ["STT", "Họ và tên", "Chức vụ"], [1, "Nông Văn Dũng", "Trưởng ban"]])
    result = parse_voter_file("ds.xlsx", data)
    assert result.ok
    assert result.rows[0].line == 3
    assert result.rows[0].full_name == "Nông Văn Dũng"


def test_a_windows_1258_csv_is_refused_with_the_line_of_the_bad_byte():
    result = parse_voter_file("ds.csv", LEGACY_BYTES)
    assert not result.ok
    message = str(result.problems[0])
    assert "UTF-8" in message
    assert "line 1" in message or "dòng 1" in message


def test_a_file_without_a_name_column_says_which_columns_it_found():
    result = parse_voter_file("ds.csv", "STT,Tên đơn vị\n1,Xã A\n".encode())
    assert not result.ok
    message = str(result.problems[0])
    assert "“Tên đơn vị”" in message
    assert result.problems[0].row == 1


def test_a_duplicate_row_is_named_with_both_rows():
    data = (GOOD_CSV + "3,Nguyễn Văn An,Ủy viên BCH\n").encode()
    result = parse_voter_file("ds.csv", data)
    assert not result.ok
    problem = result.problems[0]
    assert problem.row == 4
    assert problem.column == "Họ và tên"
    assert "2" in problem.message


def test_an_empty_name_cell_names_row_and_column():
    result = parse_voter_file("ds.csv", "Họ và tên,Đơn vị\n,Xã A\n".encode())
    assert (result.problems[0].row, result.problems[0].column) == (2, "Họ và tên")


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    result = parse_voter_file("ds.csv", data)
    assert not result.ok
    assert result.problems


def test_a_header_without_rows_is_refused():
    assert not parse_voter_file("ds.csv", "Họ và tên\n".encode()).ok


def test_a_corrupt_xlsx_is_refused():
    result = parse_voter_file("ds.xlsx", b"PK\x03\x04 this is not a workbook")
    assert not result.ok
    assert "xlsx" in str(result.problems[0]).lower()


# --- Through the pages ------------------------------------------------------------------------


def _upload(client, cast, name, data, replace="0"):
    client.force_login(cast.secretariat)
    return client.post(
        reverse("votesessions:voters_import", args=[cast.session.pk]),
        {"file": SimpleUploadedFile(name, data), "replace": replace},
    )


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("ds.csv", LEGACY_BYTES, "UTF-8"),
        ("ds.csv", "STT,Đơn vị\n1,Xã A\n".encode(), "“Đơn vị”"),
        ("ds.csv", (GOOD_CSV + "3,Trần Thị Bình,Chi ủy viên\n").encode(), "3"),
        ("ds.csv", b"", ""),
        ("ds.csv", b"Ho va ten\n" + b"A" * (10 * 1024 * 1024), "10,0"),
        ("ds.pdf", b"%PDF-1.4", ".xlsx"),
    ],
    ids=["bad-encoding", "missing-column", "duplicate-row", "empty", "10MB", "wrong-type"],
)
def test_a_bad_file_shows_the_problem_and_imports_nothing(client, cast, name, data, expected):
    before = list(Voter.objects.filter(session=cast.session).values_list("pk", flat=True))
    events = AuditEvent.objects.count()
    response = _upload(client, cast, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page or "alert-danger" in page
    assert expected in page
    assert list(Voter.objects.filter(session=cast.session).values_list("pk", flat=True)) == before
    assert AuditEvent.objects.count() == events


def test_a_good_file_is_previewed_then_imported_once(client, cast):
    response = _upload(client, cast, "ds.csv", GOOD_CSV.encode())
    assert response.status_code == 200
    assert "Trần Thị Bình" in response.content.decode()
    assert cast.session.voters.count() == 5  # nothing imported by the preview
    token = response.context["token"]
    confirm = reverse("votesessions:voters_import_confirm", args=[cast.session.pk])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert cast.session.voters.count() == 7
    assert list(cast.session.voters.order_by("number").values_list("number", flat=True)) == list(
        range(1, 8)
    )
    # A second press of the same button imports nothing more.
    client.post(confirm, {"token": token})
    assert cast.session.voters.count() == 7
    event = AuditEvent.objects.filter(session=cast.session, action="voters_imported").last()
    assert event.detail["count"] == 2


def test_replace_mode_replaces_the_list(client, cast):
    response = _upload(client, cast, "ds.xlsx", xlsx_bytes([["Full name"], ["A B"], ["C D"]]), "1")
    client.post(
        reverse("votesessions:voters_import_confirm", args=[cast.session.pk]),
        {"token": response.context["token"]},
    )
    assert sorted(cast.session.voters.values_list("full_name", flat=True)) == ["A B", "C D"]


def test_importing_someone_already_on_the_list_imports_nobody(client, cast):
    existing = cast.session.voters.first()
    data = f"Họ và tên,Đơn vị\nNgười Mới,\n{existing.full_name},{existing.unit}\n".encode()
    response = _upload(client, cast, "ds.csv", data)
    response = client.post(
        reverse("votesessions:voters_import_confirm", args=[cast.session.pk]),
        {"token": response.context["token"]},
        follow=True,
    )
    assert existing.full_name in response.content.decode()
    assert not cast.session.voters.filter(full_name="Người Mới").exists()


def test_a_forged_token_imports_nothing(client, cast):
    _upload(client, cast, "ds.csv", GOOD_CSV.encode())
    client.post(
        reverse("votesessions:voters_import_confirm", args=[cast.session.pk]), {"token": "x"}
    )
    assert cast.session.voters.count() == 5


def test_a_stray_carriage_return_is_read_not_crashed_on():
    """Found by the fuzzer: csv raised on a bare \\r inside the data."""
    result = parse_voter_file("x.csv", "Họ và tên\n\rNguyễn Văn A\r\n".encode())
    assert result.problems == []
    assert [(row.full_name, row.unit) for row in result.rows] == [("Nguyễn Văn A", "")]
