"""The paper ballot form: title, subject, seal place, who is on it, pages and copies, the form."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ballots import documents
from ballots.documents import MAX_COPIES, ballot_copy_pdf, ballot_form_pdf
from sessions import services as session_services
from sessions.models import Organization
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, make_member, make_org, make_session

SUBJECT = "Chủ tịch, các Phó Chủ tịch Hội Cựu chiến binh tỉnh"


def _pages(pdf: bytes) -> list[str]:
    """Each page's text with whitespace folded (headers wrap in narrow columns)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _session(cast, *, candidates=3, procedure="rating", subject=SUBJECT, ready=True, **fields):
    session = fill_session(
        make_session(
            cast.org,
            cast.secretariat,
            procedure=procedure,
            subject=subject,
            mode="paper_ballots",
            **fields,
        ),
        cast.secretariat,
        candidates=candidates,
        voters=4,
    )
    if ready:
        session_services.session_mark_ready(actor=cast.secretariat, session=session)
        session.refresh_from_db()
    return session


@built_once
def ballots():
    cast = build_cast()
    cast.rating = _session(cast)
    cast.long = _session(cast, candidates=40)
    confidence = _session(cast, candidates=4, procedure="confidence", ready=False)
    # A vote of confidence concerns only some of the session's people: the others are marked
    # "not rated" on the Candidates tab (the only way to leave someone off a ballot).
    for candidate in confidence.candidates.order_by("order")[1:]:
        session_services.candidate_update(
            actor=cast.secretariat,
            candidate=candidate,
            position=candidate.position,
            excluded=True,
            exclusion_reason="other",
        )
    session_services.session_mark_ready(actor=cast.secretariat, session=confidence)
    confidence.refresh_from_db()
    cast.confidence = confidence
    return cast


# --- Title, subject, seal -----------------------------------------------------------------------


def test_a_rating_ballot_is_titled_phieu_tin_nhiem_concerning_its_subject(ballots):
    page = _pages(ballot_form_pdf(session=ballots.rating, copies=1))[0]
    assert "PHIẾU TÍN NHIỆM" in page
    assert f"đối với {SUBJECT}" in page
    assert "Bỏ phiếu tín nhiệm" not in page
    assert "PHIẾU LẤY PHIẾU" not in page
    for label in ("STT", "Họ và tên", "Chức vụ", "Tín nhiệm cao", "Tín nhiệm thấp"):
        assert label in page


def test_a_vote_of_confidence_ballot_names_the_procedure_and_has_two_boxes(ballots):
    page = _pages(ballot_form_pdf(session=ballots.confidence, copies=1))[0]
    assert "PHIẾU TÍN NHIỆM" in page
    assert f"Bỏ phiếu tín nhiệm đối với {SUBJECT}" in page
    assert "Không tín nhiệm" in page
    assert "Tín nhiệm cao" not in page and "Tín nhiệm thấp" not in page


def test_without_a_subject_no_subject_line_is_printed_and_never_the_session_title(ballots):
    ballots.rating.subject = ""
    page = _pages(ballot_form_pdf(session=ballots.rating, copies=1))[0]
    assert "PHIẾU TÍN NHIỆM" in page
    assert "đối với" not in page
    assert ballots.rating.title not in page


def test_the_seal_place_at_the_top_names_the_body_on_every_copy(ballots):
    pages = _pages(ballot_form_pdf(session=ballots.rating, copies=2))
    note = f"(Đóng dấu treo của {ballots.org.name})"
    assert len(pages) == 2
    assert all(note in page for page in pages)
    assert all(page.index(note) < page.index("PHIẾU TÍN NHIỆM") for page in pages)


def test_a_party_body_prints_a_star_under_its_name(ballots):
    party = make_org("Đảng ủy cơ quan", kind=Organization.Kind.PARTY)
    secretary = make_member(party, "secretariat")
    session = fill_session(make_session(party, secretary), secretary)
    page = _pages(ballot_copy_pdf(session=session))[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert re.search(r"ĐẢNG ỦY CƠ QUAN \*", page)


# --- Who is on the ballot -----------------------------------------------------------------------


def test_a_vote_of_confidence_ballot_lists_only_the_people_it_is_held_for(ballots):
    people = list(ballots.confidence.candidates.order_by("order"))
    page = _pages(ballot_form_pdf(session=ballots.confidence, copies=1))[0]
    assert people[0].official.full_name in page
    for excluded in people[1:]:
        assert excluded.official.full_name not in page
        assert excluded.position not in page


# --- Pages and copies ---------------------------------------------------------------------------


def test_a_long_copy_repeats_its_heading_and_numbers_every_page(ballots):
    pages = _pages(ballot_copy_pdf(session=ballots.long))
    total = len(pages)
    assert total > 1
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{total}" in page
        assert "PHIẾU TÍN NHIỆM" in page
        assert f"đối với {SUBJECT}" in page
        assert "Họ và tên" in page  # the table's header row repeats too
    names = [f"Ứng viên Số {i}" for i in range(1, 41)]
    assert all(any(name + " " in page for page in pages) for name in names)


def test_a_one_page_copy_prints_no_page_number(ballots):
    (page,) = _pages(ballot_copy_pdf(session=ballots.rating))
    assert "Trang" not in page


@pytest.mark.parametrize("which", ["rating", "long"])
def test_the_first_layout_s_guess_of_the_page_count_never_changes_the_copy(
    ballots, which, monkeypatch
):
    """A copy is laid out first with or without page numbers (`LIKELY_ONE_PAGE`, a speed guess);
    a wrong guess is laid out again, so a one-page and a long copy come out the same either way."""
    session = getattr(ballots, which)
    monkeypatch.setattr(documents, "LIKELY_ONE_PAGE", 0)  # every copy guessed long
    guessed_long = ballot_copy_pdf(session=session)
    monkeypatch.setattr(documents, "LIKELY_ONE_PAGE", 10_000)  # every copy guessed short
    guessed_short = ballot_copy_pdf(session=session)
    assert guessed_long == guessed_short
    pages = _pages(guessed_long)
    assert ("Trang" in pages[0]) == (which == "long") == (len(pages) > 1)


def test_copies_never_share_a_page_and_each_numbers_its_own_pages(ballots):
    per_copy = len(_pages(ballot_copy_pdf(session=ballots.long)))
    pages = _pages(ballot_form_pdf(session=ballots.long, copies=3))
    assert len(pages) == 3 * per_copy
    for copy in range(3):
        first = pages[copy * per_copy]
        assert f"Trang 1/{per_copy}" in first
        assert f"(Đóng dấu treo của {ballots.org.name})" in first
        assert "1 Ứng viên Số 1 " in first
        last = pages[copy * per_copy + per_copy - 1]
        assert "40 Ứng viên Số 40" in last and f"Trang {per_copy}/{per_copy}" in last


def test_the_pdf_function_refuses_a_count_out_of_range(ballots):
    for copies in (0, -1, MAX_COPIES + 1):
        with pytest.raises(ValueError):
            ballot_form_pdf(session=ballots.rating, copies=copies)


# --- The download and its form ------------------------------------------------------------------


def _url(session, **query):
    url = reverse("ballots:ballot_form", args=[session.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_download_gives_one_copy_per_summoned_person_by_default(client, ballots):
    client.force_login(ballots.secretariat)
    response = client.get(_url(ballots.rating))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(_pages(response.content)) == 4


def test_the_form_page_offers_the_summoned_count_and_submits_to_the_pdf(client, ballots):
    client.force_login(ballots.committee)
    response = client.get(reverse("ballots:ballot_form_page", args=[ballots.rating.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="copies"' in html and 'value="4"' in html
    assert f'action="{_url(ballots.rating)}"' in html
    assert 'method="get"' in html


def test_a_chosen_number_of_copies_is_printed(client, ballots):
    client.force_login(ballots.secretariat)
    response = client.get(_url(ballots.rating, copies=7))
    assert response.status_code == 200
    assert len(_pages(response.content)) == 7


@pytest.mark.parametrize(
    "copies",
    [
        "0",
        "-1",
        str(MAX_COPIES + 1),
        "10000",
        "abc",
        "1e3",
        "2.5",
        "",
        "%EF%BC%99",  # a full-width ９
        "9" * 5000,  # int() would refuse it with a ValueError
    ],
)
def test_a_bad_number_of_copies_gets_the_form_with_its_error_and_no_pdf(client, ballots, copies):
    client.force_login(ballots.secretariat)
    response = client.get(_url(ballots.rating, copies=copies))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Nhập số bản là một số nguyên từ 1 đến 1000." in html or "bắt buộc" in html
    assert 'name="copies"' in html


def test_the_most_copies_allowed_are_printed(client, ballots):
    client.force_login(ballots.secretariat)
    response = client.get(_url(ballots.rating, copies=MAX_COPIES))
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) == MAX_COPIES


def test_a_draft_session_has_no_ballots_to_print_yet(client, ballots):
    draft = _session(ballots, ready=False)
    client.force_login(ballots.secretariat)
    for url in (_url(draft), reverse("ballots:ballot_form_page", args=[draft.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("votesessions:detail", args=[draft.pk])


@pytest.mark.parametrize("who", ["outsider", "other_secretariat", "leader"])
def test_people_outside_the_sessions_staff_cannot_print_its_ballots(client, ballots, who):
    client.force_login(getattr(ballots, who))
    pk = ballots.rating.pk
    for url in (_url(ballots.rating), reverse("ballots:ballot_form_page", args=[pk])):
        assert client.get(url).status_code in (403, 404)
