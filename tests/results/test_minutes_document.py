"""The minutes of the count as domain.md "Results and minutes" describes them, point by point.

Every PDF here is real WeasyPrint output, read back with pypdf page by page.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from ballots import services as ballot_services
from ballots.models import CountSheet
from ballots.paper import TallyRow, tally_import
from results import documents
from results import services as result_services
from results.frozen import session_minutes
from results.minutes_document import certifier_name, heading_lines, minutes_context, minutes_rows
from results.tally import result_compute
from sessions import services
from sessions.models import CommitteeMember, Organization, VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, link_head, make_member, make_org, make_user, open_session
from tests.results.test_certify_publish import _vote

VOTES = [
    ["high", "low", "medium"],
    ["high", "low", "medium"],
    ["high", "low", "blank"],
    ["medium", "low", "medium"],
    ["high", "medium", "low"],
]


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages(pdf))


def state_org(name: str = "Hội đồng nhân dân tỉnh Mẫu") -> Organization:
    return Organization.objects.create(
        name=name,
        kind="state",
        document_name="HỘI ĐỒNG NHÂN DÂN / TỈNH MẪU",
        member_noun="đại biểu Hội đồng nhân dân tỉnh",
        locality="Mẫu",
    )


def imported(
    organization: Organization,
    *,
    people: int = 2,
    regime: str = "nq96",
    procedure: str = "rating",
    collected: int = 47,
    summoned: int | None = None,
    **fields,
) -> VotingSession:
    """A paper tally imported from a file: few fields known. The first line is domain.md's
    example (47 collected, 19 / 2 / 25 with one line spoiled); the others 10 / 10 / 20."""
    levels = ["yes", "no"] if procedure == "confidence" else ["high", "medium", "low"]
    example = [19, 2, 25] if procedure == "rating" else [20, 26]
    rows = []
    for n in range(people):
        counts = example if n == 0 else ([10, 10, 20] if procedure == "rating" else [30, 10])
        rows.append(
            TallyRow(
                line=n + 2,
                order=n + 1,
                full_name=f"Người Số {n + 1}",
                position=f"Phó Chủ tịch {n + 1}",
                counts=dict(zip(levels, counts, strict=True)),
                invalid=None,
            )
        )
    session = tally_import(
        actor=make_user(),
        organization=organization,
        title="Kỳ họp thứ 13 Hội đồng nhân dân tỉnh Mẫu khóa X",
        regime=regime,
        procedure=procedure,
        date=datetime.date(2023, 9, 5),
        rows=rows,
        collected=collected,
        summoned=summoned,
    )
    if fields:
        VotingSession.objects.filter(pk=session.pk).update(**fields)
        session.refresh_from_db()
    return session


def committee(session: VotingSession, members: int, *, head: bool = True) -> None:
    if head:
        CommitteeMember.objects.create(
            session=session, full_name="Hoàng Văn Trưởng", unit="Phó Chủ tịch", role="head"
        )
    for n in range(members):
        CommitteeMember.objects.create(
            session=session, full_name=f"Thành Viên Số {n + 1}", unit="Đại biểu", role="member"
        )


def draft_pdf(session: VotingSession, **kwargs) -> bytes:
    return session_minutes(session, **kwargs).pdf


@built_once
def voted():
    """The cast's electronic session, with a subject, a committee of four (the head linked to
    the committee account), the count's times and a number, voted and closed."""
    cast = build_cast()
    session = cast.session
    services.session_update(
        actor=cast.secretariat,
        session=session,
        subject="các chức danh lãnh đạo Hội Cựu chiến binh tỉnh",
    )
    for name in ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]:
        services.committee_member_add(
            actor=cast.secretariat, session=session, full_name=name, unit="Ủy viên", role="member"
        )
    CommitteeMember.objects.filter(session=session, role="head").update(user=cast.committee)
    codes = open_session(session, cast.secretariat, codes=5, activate=5)
    _vote(session, codes, VOTES)
    ballot_services.session_close(actor=cast.secretariat, session=session)
    VotingSession.objects.filter(pk=session.pk).update(
        count_started_at=datetime.time(14, 5),
        count_ended_at=datetime.time(15, 30),
        document_number="12",
        minutes_copies=3,
    )
    session.refresh_from_db()
    return cast


# --- 1. Heading, number, date line ------------------------------------------------------------


def test_a_mass_organization_prints_the_national_heading_and_its_number_under_its_name(voted):
    text = text_of(draft_pdf(voted.session))
    assert "HỘI CCB TỈNH" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 12/BB-BKP" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_a_state_body_without_a_number_prints_a_blank_for_the_register_and_the_nd30_date(db):
    text = text_of(draft_pdf(imported(state_org())))
    assert "HỘI ĐỒNG NHÂN DÂN TỈNH MẪU" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: ……/BB-BKP" in text
    assert "Mẫu, ngày 05 tháng 9 năm 2023" in text


def test_a_party_body_prints_the_body_above_its_name_a_star_and_its_party_number(db):
    above = make_org("Đảng bộ tỉnh Mẫu", kind="party")
    organization = make_org("Tỉnh ủy Mẫu", kind="party", parent=above)
    Organization.objects.filter(pk=organization.pk).update(abbreviation="TU")
    session = imported(organization, regime="qd96", document_number="15")
    text = text_of(draft_pdf(session))
    assert "ĐẢNG BỘ TỈNH MẪU TỈNH ỦY MẪU *" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Số 15-BB/TU" in text
    assert "CỘNG HÒA" not in text and "Độc lập" not in text and "BB-BKP" not in text


def test_a_party_body_without_abbreviation_or_number_prints_blanks_in_both_places(db):
    session = imported(make_org("Chi bộ Mẫu", kind="party"), regime="qd96")
    assert "Số ……-BB/……" in text_of(draft_pdf(session))


def test_the_heading_marks_the_issuing_body_bold_by_kind_of_body(db):
    above = make_org("Đảng bộ tỉnh Mẫu", kind="party")
    party = make_org("Tỉnh ủy Mẫu", kind="party", parent=above)
    assert [(line.text, line.bold) for line in heading_lines(party)] == [
        ("ĐẢNG BỘ TỈNH MẪU", False),
        ("TỈNH ỦY MẪU", True),
    ]
    assert [(line.text, line.bold) for line in heading_lines(state_org())] == [
        ("HỘI ĐỒNG NHÂN DÂN", True),
        ("TỈNH MẪU", True),
    ]


# --- 2–5. Title, subject, time and place, legal basis, committee ----------------------------


def test_the_subject_follows_the_title_and_the_count_began_at_its_recorded_time(voted):
    text = text_of(draft_pdf(voted.session))
    assert (
        "BIÊN BẢN KIỂM PHIẾU Lấy phiếu tín nhiệm đối với các chức danh lãnh đạo Hội Cựu "
        "chiến binh tỉnh"
    ) in text
    assert (
        "Hôm nay, vào hồi 14 giờ 05 phút, ngày 14 tháng 12 năm 2026, tại Hội trường tỉnh, "
        f"{voted.session.title}."
    ) in text
    assert (
        "Căn cứ Quy định số 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị về việc lấy phiếu tín "
        "nhiệm đối với chức vụ lãnh đạo, quản lý trong hệ thống chính trị;"
    ) in text


def test_without_a_subject_no_line_pastes_the_title_and_unknown_times_are_left_blank(db):
    session = imported(state_org())
    text = text_of(draft_pdf(session))
    assert "đối với Kỳ họp" not in text
    assert "Lấy phiếu tín nhiệm đối với" not in text
    assert "Hôm nay, vào hồi …… giờ …… phút, ngày 05 tháng 9 năm 2023, Kỳ họp thứ 13" in text
    assert " tại " not in text  # the import gave no place ("—" is no place)
    assert "kết thúc vào hồi …… giờ …… phút" in text


def test_a_vote_of_confidence_says_bo_phieu_tin_nhiem_doi_voi_its_subject(db):
    session = imported(state_org(), procedure="confidence", subject="Chủ tịch Ủy ban nhân dân tỉnh")
    text = text_of(draft_pdf(session))
    assert "Bỏ phiếu tín nhiệm đối với Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "Căn cứ Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội" in text


def test_the_committee_elected_by_the_conference_is_listed_with_positions(voted):
    text = text_of(draft_pdf(voted.session))
    assert "Ban kiểm phiếu do Hội nghị bầu gồm: 1. Trưởng Ban Kiểm – Trưởng ban" in text
    assert "Nguyễn Văn An, Ủy viên – Thành viên" in text


def test_a_peoples_council_committee_is_elected_by_the_sitting_and_none_recorded_prints_none(db):
    organization = state_org()
    session = imported(organization)
    assert "Ban kiểm phiếu" not in text_of(draft_pdf(session)).replace("TM. BAN KIỂM PHIẾU", "")
    committee(session, 1)
    text = text_of(draft_pdf(session))
    assert "Ban kiểm phiếu do Kỳ họp bầu gồm: 1. Hoàng Văn Trưởng, Phó Chủ tịch – Trưởng ban" in (
        text
    )


# --- 6–7. Attendance and ballots ---------------------------------------------------------------


def test_attendance_is_said_in_the_bodys_words_with_the_qd96_quorum_sentence(voted):
    text = text_of(draft_pdf(voted.session))
    assert "Tổng số người được triệu tập: 5" in text
    assert "Số người được triệu tập có mặt: 5" in text
    assert "Số người được triệu tập vắng mặt: 0" in text
    assert "Số người có mặt đạt từ hai phần ba trở lên" in text
    assert "Số phiếu phát ra: 5 Số phiếu thu về: 5 Số phiếu hợp lệ: 5 Số phiếu không hợp lệ: 0" in (
        text
    )


def test_unknown_figures_say_khong_ghi_nhan_and_never_a_dash_or_a_zero(db):
    session = imported(state_org())
    text = text_of(draft_pdf(session))
    assert "Tổng số đại biểu Hội đồng nhân dân tỉnh: không ghi nhận" in text
    assert "Số đại biểu Hội đồng nhân dân tỉnh có mặt: không ghi nhận" in text
    assert "vắng mặt" not in text
    assert "Số phiếu phát ra: không ghi nhận" in text
    assert "—" not in text
    assert "triệu tập: 0" not in text and "có mặt: 0" not in text
    assert "hai phần ba" not in text.split("Kết quả:")[0]  # NQ 96: no ⅔ quorum sentence


def test_more_ballots_issued_than_people_present_prints_the_recorded_explanation(db):
    session = imported(state_org())
    CountSheet.objects.filter(session=session).update(
        summoned=50, present=45, issued=47, explanation="Hai đại biểu đổi phiếu ghi hỏng."
    )
    text = text_of(draft_pdf(session))
    assert "Số đại biểu Hội đồng nhân dân tỉnh vắng mặt: 5" in text
    assert "Số phiếu phát ra (47) nhiều hơn số người có mặt (45)." in text
    assert "Lý do: Hai đại biểu đổi phiếu ghi hỏng." in text


# --- 8–9. The table and the facts ------------------------------------------------------------


def test_every_row_adds_up_to_the_ballots_collected_whole_invalid_ballots_included(db):
    session = imported(state_org(), people=3)
    CountSheet.objects.filter(session=session).update(whole_invalid=1)
    result = result_compute(session)
    rows = minutes_rows(result)
    assert [(row.valid, row.invalid) for row in rows] == [(46, 1), (40, 7), (40, 7)]
    for row in rows:
        assert sum(level.count for level in row.line.levels) + row.invalid == result.collected
        assert row.valid + row.invalid == 47
    text = text_of(draft_pdf(session))
    # domain.md's example: over the 47 collected, 40,43% / 4,26% / 53,19%, then valid, invalid.
    assert re.search(r"1 Người Số 1 Phó Chủ tịch 1 19 40,43% 2 4,26% 25 53,19% 46 1\b", text)
    assert "Số phiếu hợp lệ: 46 Số phiếu không hợp lệ: 1" in text


def test_the_minutes_state_each_band_as_a_fact_and_never_its_consequence(voted):
    result = result_compute(voted.session)
    [line] = result.banded
    text = text_of(draft_pdf(voted.session))
    assert (
        "– Ứng viên Số 2 (Phó Chủ tịch 2) có từ hai phần ba tổng số phiếu trở lên đánh giá "
        "tín nhiệm thấp."
    ) in text
    with translation.override("vi"):
        consequence = " ".join(str(line.band.consequence).split())
    assert consequence[:40] not in text
    assert "miễn nhiệm" not in text


# --- 10–11. Closing and signatures -------------------------------------------------------------


def test_electronic_minutes_give_the_copies_and_end_time_and_seal_nothing(voted):
    text = text_of(draft_pdf(voted.session))
    assert "Biên bản được lập thành 03 bản có giá trị như nhau." in text
    assert "Việc kiểm phiếu kết thúc vào hồi 15 giờ 30 phút." in text
    assert "niêm phong" not in text


def test_paper_minutes_say_the_ballots_were_sealed(db):
    text = text_of(draft_pdf(imported(state_org())))
    assert "Biên bản được lập thành 02 bản có giá trị như nhau; phiếu đã được niêm phong." in text


def test_each_member_has_a_signing_space_of_their_own_with_one_name_beneath(voted):
    result = result_compute(voted.session)
    context = documents._document_context(result, **minutes_context(result))
    with translation.override("vi"):
        html = render_to_string("pdf/minutes.html", context)
    cells = re.findall(r'<td><div class="space"></div>(.*?)</td>', html, re.S)
    names = [re.findall(r'<div class="name">(.*?)</div>', cell) for cell in cells]
    assert names == [["Nguyễn Văn An"], ["Trần Thị Bình"], ["Lê Văn Cường"]]
    head = re.search(r"TRƯỞNG BAN</div><div class=\"space\"></div>(.*?)</td>", html, re.S)
    assert re.findall(r'<div class="name">(.*?)</div>', head.group(1)) == ["Trưởng Ban Kiểm"]


@pytest.mark.parametrize("people", [25, 29, 33, 37, 40])
def test_the_closing_and_every_signature_share_one_page_in_a_long_session(db, people):
    session = imported(state_org(), people=people)
    committee(session, 4)
    texts = pages(draft_pdf(session))
    closing = [n for n, page in enumerate(texts) if "Biên bản được lập thành" in page]
    signatures = [n for n, page in enumerate(texts) if "Thành Viên Số 4" in page.split("Lý do")[0]]
    assert len(texts) > 1
    assert closing == [signatures[-1]]
    last = texts[closing[0]]
    assert last.index("Biên bản được lập thành") < last.index("TRƯỞNG BAN")
    assert last.index("Hoàng Văn Trưởng", last.index("TRƯỞNG BAN")) < last.index("Thành Viên Số 4")


# --- 12–13. Check codes; drafts ---------------------------------------------------------------


def test_the_certified_minutes_print_the_check_codes_and_who_certified(voted):
    certification = result_services.result_certify(actor=voted.committee, session=voted.session)
    texts = pages(bytes(certification.minutes_pdf))
    text = " ".join(texts)
    assert "Mã kiểm tra (SHA-256)" in text
    assert "vân tay" not in text
    compact = text.replace(" ", "")
    assert voted.session.voter_list_sha256 in compact
    assert certification.ballot_set_sha256 in compact
    assert "HMAC-SHA-256" in text
    assert "Xác nhận trên hệ thống bởi: Trưởng Ban Kiểm" in text  # the head, linked to the account
    assert all("DỰ THẢO" not in page for page in texts)


def test_an_account_on_no_committee_seat_is_named_by_its_own_name(voted):
    outsider = make_user("kiemphieu2", first_name="Bảo", last_name="Ngô")
    result = result_compute(voted.session)
    name = certifier_name(voted.session, outsider)
    assert name == "Bảo Ngô"
    pdf = documents.minutes_pdf(result, ballot_set_sha256="a" * 64, certifier=name)
    assert "Xác nhận trên hệ thống bởi: Bảo Ngô" in text_of(pdf)


def test_a_draft_says_du_thao_on_every_page_and_prints_no_ballot_set_code(db):
    session = imported(state_org(), people=30)
    CountSheet.objects.filter(session=session).update(issued=48, present=48)
    found = session_minutes(session)
    texts = pages(found.pdf)
    assert found.kind == "draft" and len(texts) >= 3
    assert all("DỰ THẢO" in page for page in texts)
    certifier = make_member(session.organization, "committee")
    link_head(session, certifier, certifier)
    certification = result_services.result_certify(actor=certifier, session=session)
    draft = " ".join(texts).replace(" ", "")
    assert certification.ballot_set_sha256 not in draft
    assert "Sốliệubiênbảntổnghợp(SHA-256)" not in draft and "HMAC" not in draft
    assert all("DỰ THẢO" not in page for page in pages(bytes(certification.minutes_pdf)))


def top_margins(pdf: bytes) -> list[str]:
    """Each page's text above its 20 mm top margin, as printed there."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        limit = float(page.mediabox.top) - 20 * 72 / 25.4
        found: list[str] = []

        def visit(text, cm, tm, _font, _size, found=found, limit=limit):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's origin on the page
            if text.strip() and y > limit:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        out.append(" ".join(found))
    return out


def test_page_numbers_start_on_the_second_page(db):
    margins = top_margins(draft_pdf(imported(state_org(), people=30)))
    assert len(margins) > 1
    assert margins[0] == "DỰ THẢO"
    for number, margin in enumerate(margins[1:], start=2):
        assert margin == f"{number} DỰ THẢO"


# --- Every regime, procedure and mode; English ------------------------------------------------


@pytest.mark.parametrize("regime", ["qd96", "nq96", "nq85", "nq35"])
@pytest.mark.parametrize("procedure", ["rating", "confidence"])
def test_every_regime_and_procedure_renders_its_minutes(db, regime, procedure):
    kind = "party" if regime == "qd96" else "state"
    organization = make_org(f"Cơ quan {regime} {procedure}", kind=kind)
    session = imported(organization, regime=regime, procedure=procedure, summoned=60)
    text = text_of(draft_pdf(session))
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Người Số 1" in text
    assert "Căn cứ " in text and "—" not in text
    if regime in ("nq85", "nq35"):
        assert "Tỷ lệ tính trên tổng số 60 đại biểu" in text


def test_paper_ballot_minutes_render_and_seal_the_ballots(cast):
    session = cast.session
    VotingSession.objects.filter(pk=session.pk).update(mode="paper_ballots")
    session.refresh_from_db()
    services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        ballot_services.voter_check_in(voter=voter, present=True)
    ballot_services.session_open(actor=cast.secretariat, session=session)
    ballot_services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    session.refresh_from_db()
    text = text_of(draft_pdf(session))
    assert "phiếu đã được niêm phong" in text
    assert "Số phiếu phát ra: không ghi nhận" in text


def test_the_minutes_read_in_english(voted):
    text = text_of(draft_pdf(voted.session, language="en"))
    assert "MINUTES OF THE COUNT" in text
    assert "Pursuant to Regulation No. 96-QĐ/TW of 2 February 2023" in text
    assert "Total number of people summoned: 5" in text
    assert "The counting committee elected by the conference consists of:" in text
    assert "received low confidence on two thirds or more of all ballots" in text
    assert "The minutes are made in 03 copies of equal value." in text
    assert "Check codes (SHA-256)" in text and "DRAFT" in text
    assert "No.: 12/BB-BKP" in text


def test_the_nq35_minutes_cite_no_other_resolution_for_their_denominator(db):
    session = imported(state_org(), regime="nq35", summoned=50)
    text = " ".join(pages(session_minutes(session).pdf))
    assert "Tỷ lệ tính trên tổng số 50 đại biểu." in text
    assert "85/2014" not in text
    assert "Nghị quyết số 35/2012/QH13 ngày 21/11/2012" in text
