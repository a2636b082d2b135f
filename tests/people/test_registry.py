"""The officials registry: who reaches it, diacritic-insensitive search, the exemption it
proposes, and imports that name the row and column of every problem."""

from __future__ import annotations

import datetime
import io
import unicodedata

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from people import selectors, services
from people.models import Position
from sessions import services as session_services
from sessions.models import Official, RegistryEvent
from tests.factories import make_session

NAMES = ["Trần Văn Tuấn", "Trần Văn Đông", "Lê Thị Tuyết", "Nguyễn Văn Tuân"]


@pytest.fixture
def registry(tree):
    return {
        name: services.official_create(
            actor=tree.admin_a, organization=tree.a, full_name=name, positions="Phó Chủ tịch"
        )
        for name in NAMES
    }


def _found(tree, query):
    officials = Official.objects.filter(organization=tree.a)
    return [o.full_name for o in selectors.officials_matching(officials, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tuan", ["Nguyễn Văn Tuân", "Trần Văn Tuấn"]),
        ("TUẤN", ["Nguyễn Văn Tuân", "Trần Văn Tuấn"]),  # diacritics ignored both ways
        ("tran tuan", ["Trần Văn Tuấn"]),  # every word, anywhere
        ("dong", ["Trần Văn Đông"]),  # đ ↔ d
        ("Đông", ["Trần Văn Đông"]),
        ("DONG", ["Trần Văn Đông"]),
        (unicodedata.normalize("NFD", "Tuyết"), ["Lê Thị Tuyết"]),  # decomposed input
        ("pho chu tich tuyet", ["Lê Thị Tuyết"]),  # the posts too
        ("hoa", []),
    ],
)
def test_search_finds_names_with_and_without_diacritics_on_this_database(
    tree, registry, query, expected
):
    assert sorted(_found(tree, query)) == expected


def test_officials_made_outside_the_registry_and_renamed_ones_are_found(tree, registry):
    session = make_session(tree.a, tree.secretariat_a)
    session_services.candidate_add(
        actor=tree.secretariat_a, session=session, full_name="Đỗ Thị Ánh", positions="Ủy viên"
    )
    assert _found(tree, "do thi anh") == ["Đỗ Thị Ánh"]
    official = registry["Lê Thị Tuyết"]
    services.official_update(actor=tree.admin_a, official=official, full_name="Lê Thị Tuyến")
    assert _found(tree, "tuyen") == ["Lê Thị Tuyến"] and _found(tree, "tuyet") == []


def test_the_search_page_shows_matches_of_the_users_bodies_only(client, tree, registry):
    services.official_create(
        actor=tree.admin_b, organization=tree.b, full_name="Phạm Văn Tuấn", positions="Ủy viên"
    )
    client.force_login(tree.secretariat_a)
    page = client.get(reverse("people:officials"), {"q": "tuan"}).content.decode()
    assert "Trần Văn Tuấn" in page and "Nguyễn Văn Tuân" in page
    assert "Phạm Văn Tuấn" not in page
    client.force_login(tree.admin_province)
    assert (
        "Phạm Văn Tuấn" in client.get(reverse("people:officials"), {"q": "tuan"}).content.decode()
    )


WHO = ["admin_province", "admin_a", "admin_a1", "admin_b", "secretariat_a", "anonymous"]


@pytest.mark.parametrize("who", WHO)
def test_an_official_of_a_body_opens_for_its_administrators_above_and_its_secretariat(
    client, tree, registry, who
):
    official = registry["Trần Văn Đông"]
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    response = client.get(reverse("people:official", args=[official.pk]))
    if who == "anonymous":
        assert response.status_code == 302
    else:
        expected = 200 if who in {"admin_province", "admin_a", "secretariat_a"} else 404
        assert response.status_code == expected
    post = client.post(
        reverse("people:official", args=[official.pk]),
        {"full_name": "Trần Văn Đồng", "positions": "X"},
    )
    official.refresh_from_db()
    if who in {"admin_a1", "admin_b", "anonymous"}:
        assert official.full_name == "Trần Văn Đông", post.status_code


def test_an_official_can_be_added_only_to_a_body_the_user_keeps(client, tree):
    client.force_login(tree.secretariat_a)
    data = {"organization": tree.b.pk, "full_name": "Hà Văn Minh", "positions": "Ủy viên"}
    response = client.post(reverse("people:official_create"), data)
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Official.objects.filter(full_name="Hà Văn Minh").exists()
    response = client.post(reverse("people:official_create"), {**data, "organization": tree.a.pk})
    official = Official.objects.get(full_name="Hà Văn Minh")
    assert response.url == reverse("people:official", args=[official.pk])
    assert RegistryEvent.objects.filter(object_id=official.pk, action="added").exists()


# --- The exemption proposed ------------------------------------------------------------------


def test_an_official_appointed_in_the_year_of_the_session_is_proposed_as_not_rated(
    client, tree, registry
):
    appointed, older = registry["Trần Văn Tuấn"], registry["Trần Văn Đông"]
    services.position_add(
        actor=tree.admin_a,
        official=appointed,
        title="Phó Chủ tịch",
        started_on=datetime.date(2026, 3, 2),
    )
    services.position_add(
        actor=tree.admin_a,
        official=older,
        title="Phó Chủ tịch",
        started_on=datetime.date(2025, 11, 20),
    )
    session = make_session(tree.a, tree.secretariat_a, date=datetime.date(2026, 12, 14))
    client.force_login(tree.secretariat_a)
    url = reverse("votesessions:candidates", args=[session.pk])
    response = client.post(url, {"official": appointed.pk}, follow=True)
    client.post(url, {"official": older.pk})
    new = session.candidates.get(official=appointed)
    assert (new.excluded, new.exclusion_reason) == (True, "new")
    assert "02/03/2026" in new.exclusion_note
    assert "Edit the line" in response.content.decode() or "Sửa dòng" in response.content.decode()
    rated = session.candidates.get(official=older)
    assert not rated.excluded  # appointed the year before: rated
    # The secretariat may still rate the proposed person.
    session_services.candidate_update(
        actor=tree.secretariat_a, candidate=new, position=new.position, excluded=False
    )
    assert not session.candidates.get(official=appointed).excluded


# --- Import ----------------------------------------------------------------------------------


def _upload(client, tree, name, content, body=None):
    client.force_login(tree.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the problems, word for word
    return client.post(
        reverse("people:officials_import"),
        {"organization": (body or tree.a).pk, "file": SimpleUploadedFile(name, content)},
    )


def test_an_import_names_the_row_and_column_of_every_problem_and_imports_nothing(client, tree):
    csv = (
        "STT,Họ và tên,Chức vụ,Năm sinh,Ngày bầu, bổ nhiệm\n"
        "1,Hoàng Văn Bình,Chủ tịch,1970,15/03/2026\n"
        "2,,Phó Chủ tịch,1975,\n"
        "3,Lục Thị Mai,,19x5,31/02/2026\n"
        "4,Hoàng Văn Bình,Ủy viên,,\n"
    ).replace(",Ngày bầu, bổ nhiệm", ',"Ngày bầu, bổ nhiệm"')
    response = _upload(client, tree, "ds.csv", csv.encode())
    problems = [str(p) for p in response.context["result"].problems]
    assert problems == [
        "row 3, column “Họ và tên”: the full name is empty.",
        "row 4, column “Chức vụ”: the position is empty.",
        "row 4, column “Năm sinh”: “19x5” is not a year of birth.",
        "row 4, column “Ngày bầu, bổ nhiệm”: “31/02/2026” is not a date (day/month/year).",
        "row 5, column “Họ và tên”: duplicate of row 2.",
    ]
    assert not Official.objects.filter(organization=tree.a).exists()


def test_a_clean_xlsx_import_adds_every_official_with_the_posts_it_dates(client, tree):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ"])
    sheet.append(["Họ và tên", "Chức vụ", "Năm sinh", "Ngày bầu, bổ nhiệm"])
    sheet.append(["Hoàng Văn Bình", "Chủ tịch", 1970, datetime.datetime(2026, 3, 15)])
    sheet.append(["Lục Thị Mai", "Phó Chủ tịch", None, None])
    data = io.BytesIO()
    book.save(data)
    response = _upload(client, tree, "ds.xlsx", data.getvalue())
    assert response.status_code == 302
    binh = Official.objects.get(organization=tree.a, full_name="Hoàng Văn Bình")
    assert binh.birth_year == 1970
    assert list(Position.objects.filter(official=binh).values_list("started_on", flat=True)) == [
        datetime.date(2026, 3, 15)
    ]
    assert Official.objects.filter(organization=tree.a).count() == 2


def test_an_import_naming_someone_already_in_the_registry_imports_nothing(client, tree, registry):
    csv = "Họ và tên,Chức vụ\nHà Thị Lan,Ủy viên\nTRẦN VĂN ĐÔNG,Phó Chủ tịch\n"
    response = _upload(client, tree, "ds.csv", csv.encode())
    assert response.status_code == 200
    assert "TRẦN VĂN ĐÔNG" in response.content.decode()
    assert not Official.objects.filter(full_name="Hà Thị Lan").exists()


def test_an_import_into_a_body_out_of_reach_is_refused(client, tree):
    response = _upload(client, tree, "ds.csv", "Họ và tên,Chức vụ\nA B,C\n".encode(), body=tree.b)
    assert "organization" in response.context["form"].errors
    assert not Official.objects.filter(full_name="A B").exists()
