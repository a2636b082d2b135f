"""What the attack on issue 12's work found, each held by a test."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from ballots import services as ballot_services
from results import services as result_services
from results.spreadsheets import xlsx_bytes
from sessions import services
from sessions.models import Organization, VotingSession
from sessions.text import clean_input, visible, xml_safe
from tests.factories import make_member, open_session

NONCHARACTERS = "\ufffe\uffff\ufdd0\U0001fffe"
INVISIBLE = "\u200b\u2060\u00ad\ufeff"


def test_noncharacters_and_invisible_characters_are_never_kept_from_input():
    typed = f"Nguyễn{NONCHARACTERS} Văn{INVISIBLE} Tư\x01"
    assert clean_input(typed) == "Nguyễn Văn Tư "
    assert visible(INVISIBLE + " \u200b ") == ""


def test_a_document_drops_what_xml_cannot_hold_instead_of_failing():
    stored = "Ban Thường vụ\ufffe\x0b"  # as it could have been stored before the rule
    assert xml_safe(stored) == "Ban Thường vụ"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes("Kết quả", ["Họ và tên"], [[stored]])))
    assert book.active["A2"].value == "Ban Thường vụ"


def test_a_web_form_cannot_store_a_noncharacter(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("votesessions:edit", args=[cast.session.pk]),
        {
            "organization": cast.org.pk,
            "title": "Hội nghị\uffff lấy phiếu",
            "date": "2026-12-14",
            "place": "Hội trường",
            "regime": cast.session.regime,
            "procedure": cast.session.procedure,
            "mode": cast.session.mode,
            "scope": cast.session.scope,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cast.session.refresh_from_db()
    assert cast.session.title == "Hội nghị lấy phiếu"


@pytest.fixture
def tally_file(tmp_path):
    path = tmp_path / "kq.csv"
    path.write_text("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nHoàng Văn Thành,40,5,2\n")
    return path


def _import(path, **options):
    """import_tally as typed on a command line: every option a string through argparse."""
    out = io.StringIO()
    argv = {"title": "Kỳ họp thứ 13", "regime": "nq96", "collected": "47", "issued": "47"}
    argv |= {"date": "2025-12-09", **options}
    args = [f"--{key.replace('_', '-')}={value}" for key, value in argv.items()]
    call_command("import_tally", str(path), *args, stdout=out)
    return VotingSession.objects.get(public_id=out.getvalue().split()[-1])


@pytest.mark.django_db
def test_the_command_line_cleans_its_text_as_the_browser_does(tally_file):
    session = _import(
        tally_file,
        title="Kỳ họp\x01 thứ\n13",
        place="Hội trường\nTầng 2",
        subject="các chức danh\u200b",
        committee_head="Lý Thị Nga\x01, Tổ\x07 1",
        organization="Hội đồng nhân dân tỉnh Mẫu",
    )
    assert session.title == "Kỳ họp thứ 13"
    assert session.place == "Hội trường Tầng 2"
    assert session.subject == "các chức danh"
    head = session.committee.get()
    assert (head.full_name, head.unit) == ("Lý Thị Nga", "Tổ 1")


@pytest.mark.django_db
def test_a_start_time_with_a_time_zone_is_refused_plainly_and_leaves_nothing(tally_file):
    with pytest.raises(CommandError, match="time zone"):
        _import(tally_file, start_time="12:30+07:00", organization="Mới Tổ chức")
    assert not Organization.objects.filter(name="Mới Tổ chức").exists()


@pytest.mark.django_db
def test_a_failed_import_takes_back_the_body_it_created(tally_file):
    with pytest.raises(CommandError):  # the head is also rated
        _import(tally_file, committee_head="Hoàng Văn Thành", organization="Mới Tổ chức")
    assert not Organization.objects.filter(name="Mới Tổ chức").exists()


@pytest.mark.django_db
def test_an_import_dated_before_1980_or_in_the_future_is_refused(tally_file):
    for date in ("0001-01-01", "9999-12-31"):
        with pytest.raises(CommandError, match="date"):
            _import(tally_file, date=date)
    assert not VotingSession.objects.exists()


def test_a_person_on_a_running_sessions_list_cannot_be_renamed(cast):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    official = cast.session.candidates.first().official
    official.full_name = "Trưởng Ban Kiểm"
    with pytest.raises(ValidationError) as refused:
        services.official_save(actor=cast.superuser, official=official, fields=["full_name"])
    assert refused.value.code == "on_ballot"


def test_an_explanation_of_invisible_characters_is_refused_and_the_desk_stays_limited(cast):
    open_session(cast.session, cast.secretariat, codes=4, activate=0)
    with pytest.raises(ValidationError) as refused:
        ballot_services.issue_explanation_save(
            actor=cast.secretariat, session=cast.session, explanation="\u200b\u2060 ok"
        )
    assert refused.value.code == "too_short"
    assert ballot_services.issue_explanation(cast.session) == ""


def test_the_certify_service_itself_refuses_an_account_whose_committee_role_was_withdrawn(cast):
    cast.committee.memberships.all().delete()
    with pytest.raises(ValidationError) as refused:
        result_services.result_certify(actor=cast.committee, session=cast.session)
    assert refused.value.code == "not_on_committee"


def test_a_committee_account_of_the_body_that_is_not_linked_cannot_certify(cast):
    other = make_member(cast.org, "committee", "kiemphieu_2")
    with pytest.raises(ValidationError) as refused:
        result_services.result_certify(actor=other, session=cast.session)
    assert refused.value.code == "not_on_committee"


@pytest.mark.django_db
def test_the_start_time_of_an_import_is_when_the_count_began_in_the_minutes(tally_file):
    from pypdf import PdfReader

    from results.frozen import session_minutes

    session = _import(tally_file, start_time="09:05", present="47")
    assert session.count_started_at.strftime("%H:%M") == "09:05"
    pdf = session_minutes(session).pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "vào hồi 09 giờ 05 phút" in " ".join(text.split())


def test_a_member_cannot_be_linked_to_an_account_of_another_named_person(cast):
    other = make_member(cast.org, "committee", "kiemphieu_3")
    other.first_name = "Lục Văn Kiểm"
    other.save(update_fields=["first_name"])
    with pytest.raises(ValidationError) as refused:
        services.committee_member_add(
            actor=cast.secretariat,
            session=cast.session,
            full_name="Lý Thị Nga",
            unit="",
            role="member",
            user=other,
        )
    assert refused.value.code == "another_person"
    services.committee_member_add(
        actor=cast.secretariat,
        session=cast.session,
        full_name="Lục  văn Kiểm",
        unit="",
        role="member",
        user=other,
    )
    assert cast.session.committee.filter(user=other).exists()
