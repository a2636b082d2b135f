"""A body's change log reads in the page's language: each field by its own name, a choice by its
label, the body above by its name; never the raw English field names."""

from __future__ import annotations

import re

from django.urls import reverse

from people import services
from sessions import services as session_services


def _log(client, body) -> str:
    page = client.get(reverse("people:body", args=[body.pk])).content.decode()
    return re.search(r'id="history".*?</section>', page, re.S).group(0)


def test_a_new_bodys_change_log_names_its_fields_in_vietnamese_and_its_parent_by_name(client, tree):
    body = services.body_create(
        actor=tree.admin_a,
        parent=tree.a1,
        name="Chi bộ thôn 1",
        kind="party",
        abbreviation="HU",
    )
    client.force_login(tree.admin_a)
    log = _log(client, body)
    assert "Chữ viết tắt trong số văn bản: “HU”" in log
    assert f"Tổ chức cấp trên: “{tree.a1.name}”" in log
    assert "Loại: “Cơ quan Đảng”" in log
    for raw in ("abbreviation =", "parent =", "kind =", "abbreviation", "parent", "member_noun"):
        assert raw not in log, raw


def test_the_roster_entries_of_a_bodys_change_log_are_labelled_in_vietnamese(client, tree):
    session_services.roster_member_add(
        actor=tree.admin_a, organization=tree.a, full_name="Hà Văn Một", unit="Ủy viên"
    )
    client.force_login(tree.admin_a)
    log = _log(client, tree.a)
    assert "roster_added" not in log
    assert "Thêm vào danh sách thành viên: “Hà Văn Một" in log
