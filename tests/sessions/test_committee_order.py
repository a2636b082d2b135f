"""The committee in Vietnamese name order: given name first, Vietnamese letters, tones last."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sessions import services
from sessions.collation import name_key
from sessions.selectors import session_committee

MEMBERS = ["Trần Văn Bình", "Đàm Thị Ánh", "Nguyễn Văn An", "Dương Thị Ánh", "Lê Văn Đức"]
EXPECTED = ["Nguyễn Văn An", "Dương Thị Ánh", "Đàm Thị Ánh", "Trần Văn Bình", "Lê Văn Đức"]


def _sorted(names):
    return sorted(names, key=name_key)


def test_dam_sorts_before_tran_though_d_stroke_follows_t_in_code_points():
    assert "Đàm" > "Trần"
    assert _sorted(["Trần", "Đàm"]) == ["Đàm", "Trần"]


def test_anh_with_a_tone_sorts_after_an_and_before_binh():
    assert _sorted(["Bình", "Ánh", "An"]) == ["An", "Ánh", "Bình"]


def test_d_stroke_follows_d_and_precedes_e():
    assert _sorted(["Em", "Đông", "Dương"]) == ["Dương", "Đông", "Em"]


def test_vowels_with_breve_circumflex_or_horn_are_letters_of_their_own():
    assert _sorted(["Ơn", "Ân", "Ôn", "Ăn", "On", "An"]) == ["An", "Ăn", "Ân", "On", "Ôn", "Ơn"]
    assert _sorted(["Ưng", "Vân", "Uyên"]) == ["Uyên", "Ưng", "Vân"]


def test_tones_only_break_ties_in_dictionary_order():
    tones = ["Dụng", "Dúng", "Dũng", "Dủng", "Dùng", "Dung"]
    assert _sorted(tones) == list(reversed(tones))
    assert _sorted(["Dũng", "Dunh"]) == ["Dũng", "Dunh"]


def test_people_sort_by_given_name_then_family_and_middle_names_ignoring_case():
    names = ["trần văn an", "Lê Văn Bình", "Lê Thị An", "Nguyễn An", "NGUYỄN THỊ AN"]
    assert _sorted(names) == [
        "Lê Thị An",
        "Nguyễn An",
        "NGUYỄN THỊ AN",
        "trần văn an",
        "Lê Văn Bình",
    ]


@pytest.fixture
def committee_session(cast):
    for name in MEMBERS:
        services.committee_member_add(
            actor=cast.secretariat, session=cast.session, full_name=name, unit="", role="member"
        )
    return cast


def test_the_committee_lists_the_head_first_then_members_in_vietnamese_order(committee_session):
    names = [m.full_name for m in session_committee(committee_session.session)]
    assert names == ["Trưởng Ban Kiểm", *EXPECTED]


def test_the_committee_page_shows_the_members_in_vietnamese_order(client, committee_session):
    client.force_login(committee_session.secretariat)
    html = client.get(
        reverse("votesessions:committee", args=[committee_session.session.pk])
    ).content.decode()
    positions = [html.index(name) for name in ["Trưởng Ban Kiểm", *EXPECTED]]
    assert positions == sorted(positions)
    assert re.search("Đàm Thị Ánh.*Trần Văn Bình", html, re.S)
