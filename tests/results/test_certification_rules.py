"""Who certifies and when: present and issued known in every mode, more issued than present
explained, and only an account linked to a member of this session's committee."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ballots import paper
from ballots import services as ballot_services
from results import services as result_services
from results.models import Certification
from sessions import services as session_services
from sessions.models import VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, make_member, make_session, open_session


def _paper(cast, mode: str) -> VotingSession:
    """A ready paper session of the cast's body with everyone checked in; 5 summoned."""
    session = fill_session(make_session(cast.org, cast.secretariat, mode=mode), cast.secretariat)
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        ballot_services.voter_check_in(voter=voter, present=True)
    session.refresh_from_db()
    return session


def _close_paper(cast, session: VotingSession) -> VotingSession:
    ballot_services.session_open(actor=cast.secretariat, session=session)
    ballot_services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    session.refresh_from_db()
    return session


def _enter_ballots(cast, session: VotingSession, n: int) -> None:
    candidates = list(session.candidates.order_by("order"))
    entry = paper.paper_entry_start(actor=cast.committee, session=session, label="A")
    for _ in range(n):
        paper.paper_ballot_add(
            actor=cast.committee, entry=entry, choices={c.pk: "high" for c in candidates}
        )
    paper.paper_entry_finish(actor=cast.committee, entry=entry)


@built_once
def paper_ballots():
    """Paper ballots under NQ 96 (no binding quorum), nobody checked in, 4 ballots entered."""
    cast = build_cast()
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots", regime="nq96"),
        cast.secretariat,
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    cast.session = _close_paper(cast, session)
    _enter_ballots(cast, cast.session, 4)
    return cast


def test_paper_ballots_without_present_and_issued_are_not_offered_for_certification(
    client, paper_ballots
):
    session = paper_ballots.session
    blockers = result_services.certification_blockers(session)
    assert len(blockers) == 2
    assert any("Paper count" in b or "Kiểm phiếu giấy" in b for b in blockers), blockers
    client.force_login(paper_ballots.committee)
    page = client.get(reverse("results:page", args=[session.pk]))
    assert reverse("results:certify", args=[session.pk]) not in page.text
    assert all(b in page.text for b in blockers)
    # A forged POST is refused with the reasons, and nothing is frozen.
    response = client.post(reverse("results:certify", args=[session.pk]))
    assert response.status_code == 409
    assert not Certification.objects.exists()
    session.refresh_from_db()
    assert session.status == "closed"


def test_the_committees_figures_unblock_paper_ballots(paper_ballots):
    session = paper_ballots.session
    paper.count_sheet_save(actor=paper_ballots.committee, session=session, present=4, issued=5)
    blockers = result_services.certification_blockers(session)
    assert len(blockers) == 1 and "5" in blockers[0] and "4" in blockers[0]  # 5 issued > 4
    paper.count_sheet_save(
        actor=paper_ballots.committee,
        session=session,
        present=4,
        issued=5,
        explanation="Một phiếu bị hỏng, đã đổi phiếu khác.",
    )
    assert result_services.certification_blockers(session) == []
    result_services.result_certify(actor=paper_ballots.committee, session=session)
    assert Certification.objects.get(session=session).certified_by == paper_ballots.committee


def test_a_tally_sheet_without_issued_cannot_be_certified(cast):
    session = _close_paper(cast, _paper(cast, "paper_tally"))
    candidate = session.candidates.first()
    counts = {
        (c.pk, level): (5 if level == "high" else 0)
        for c in session.candidates.all()
        for level in ("high", "medium", "low", "invalid")
    }
    data = paper.TallyInput(collected=5, counts=counts)
    paper.tally_save(actor=cast.committee, session=session, data=data)
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=cast.committee, session=session)
    assert caught.value.code == "blocked"
    assert candidate is not None and not Certification.objects.exists()
    data.issued = 5
    paper.tally_save(actor=cast.committee, session=session, data=data)
    result_services.result_certify(actor=cast.committee, session=session)  # present: check-in


@built_once
def counted():
    cast = build_cast()
    codes = open_session(cast.session, cast.secretariat, codes=5, activate=5)
    candidates = list(cast.session.candidates.order_by("order"))
    for code in codes:
        ballot_services.ballot_cast(raw=code, choices={c.pk: "high" for c in candidates})
    ballot_services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


def test_a_committee_account_not_linked_to_this_committee_cannot_certify(client, counted):
    colleague = make_member(counted.org, "committee", "kiemphieu2")  # same body, same role
    with pytest.raises(ValidationError) as caught:
        result_services.result_certify(actor=colleague, session=counted.session)
    assert caught.value.code == "not_on_committee"
    client.force_login(colleague)
    page = client.get(reverse("results:page", args=[counted.session.pk])).text
    assert reverse("results:certify", args=[counted.session.pk]) not in page
    response = client.post(reverse("results:certify", args=[counted.session.pk]))
    assert response.status_code == 403
    assert not Certification.objects.exists()


def test_support_staff_and_the_secretariat_cannot_certify_either(client, counted):
    url = reverse("results:certify", args=[counted.session.pk])
    client.force_login(counted.superuser)
    assert client.post(url).status_code == 403
    client.force_login(counted.secretariat)
    assert client.post(url).status_code == 404
    assert not Certification.objects.exists()


def test_the_linked_member_certifies_and_the_certification_names_the_account(client, counted):
    client.force_login(counted.committee)
    page = client.get(reverse("results:page", args=[counted.session.pk])).text
    assert reverse("results:certify", args=[counted.session.pk]) in page
    response = client.post(reverse("results:certify", args=[counted.session.pk]))
    assert response.status_code == 302
    assert Certification.objects.get(session=counted.session).certified_by == counted.committee
    # A second click only goes back to the page.
    assert client.post(reverse("results:certify", args=[counted.session.pk])).status_code == 302
    # The committee named in the minutes is frozen with them.
    head = counted.session.committee.get(role="head")
    with pytest.raises(ValidationError) as caught:
        session_services.committee_member_update(
            actor=counted.secretariat, member=head, full_name="Khác", unit="", role="head"
        )
    assert caught.value.code == "certified"
    client.force_login(counted.secretariat)
    response = client.post(
        reverse("votesessions:committee", args=[counted.session.pk]),
        {"full_name": "Muộn", "unit": "", "role": "member"},
        follow=True,
    )
    assert response.status_code == 200
    assert not counted.session.committee.filter(full_name="Muộn").exists()


def test_a_slip_checked_out_again_after_activation_needs_the_explanation(client, counted):
    """5 slips handed out, then one person marked absent: 5 issued for 4 present."""
    # (Marking absent is refused once closed, so the figure is made here as it would have been.)
    voter = counted.session.voters.filter(present=True).first()
    type(voter).objects.filter(pk=voter.pk).update(present=False)
    blockers = result_services.certification_blockers(counted.session)
    assert len(blockers) == 1 and "5" in blockers[0] and "4" in blockers[0]
    client.force_login(counted.committee)
    page = client.get(reverse("results:page", args=[counted.session.pk])).text
    assert reverse("ballots:desk_explanation", args=[counted.session.pk]) in page
    results_url = reverse("results:page", args=[counted.session.pk])
    response = client.post(
        reverse("ballots:desk_explanation", args=[counted.session.pk]),
        {"explanation": "Một đại biểu về trước khi bỏ phiếu.", "next": results_url},
    )
    assert response.status_code == 302 and response["Location"] == results_url
    assert result_services.certification_blockers(counted.session) == []
    # An address elsewhere is never followed.
    response = client.post(
        reverse("ballots:desk_explanation", args=[counted.session.pk]),
        {"explanation": "Như trên.", "next": "//evil.example/"},
    )
    assert "evil" not in response["Location"]


def test_an_imported_tally_is_certified_after_linking_a_member_and_entering_the_figures(
    client, cast, tmp_path
):
    """The whole flow: import → committee and account → present and issued → certify."""
    path = tmp_path / "t.csv"
    path.write_text("Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nHoàng Văn Thành,40,5,2\n")
    out = io.StringIO()
    call_command(
        "import_tally",
        str(path),
        "--title=Kỳ họp 2019",
        "--regime=nq96",
        "--collected=47",
        f"--organization={cast.org.name}",
        "--new-officials",
        stdout=out,
    )
    session = VotingSession.objects.get(public_id=out.getvalue().split()[-1])
    client.force_login(cast.committee)
    assert client.post(reverse("results:certify", args=[session.pk])).status_code == 403
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("votesessions:committee", args=[session.pk]),
        {"full_name": "Lý Thị Nga", "unit": "Tổ 1", "role": "head", "user": cast.committee.pk},
    )
    assert response.status_code == 302
    client.force_login(cast.committee)
    response = client.post(reverse("results:certify", args=[session.pk]))
    assert response.status_code == 409  # present and issued not known yet
    candidate = session.candidates.get()
    tally = {
        "present": 48,
        "issued": 48,
        "collected": 47,
        "whole_invalid": 0,
        f"n_{candidate.pk}_high": 40,
        f"n_{candidate.pk}_medium": 5,
        f"n_{candidate.pk}_low": 2,
        f"n_{candidate.pk}_invalid": 0,
    }
    assert client.post(reverse("ballots:tally", args=[session.pk]), tally).status_code == 302
    assert client.post(reverse("results:certify", args=[session.pk])).status_code == 302
    certification = Certification.objects.get(session=session)
    assert certification.certified_by == cast.committee
