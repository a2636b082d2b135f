"""Paper ballots: the printed form, ballot-by-ballot entry, double entry, figures, tally sheet."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ballots import paper, services
from ballots.models import Ballot, CountSheet, Mark, PaperEntry, TallyCount
from ballots.selectors import entries_disagreements, reconciled
from sessions import services as session_services
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, make_member, make_session


def _closed(cast, mode):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode=mode),
        cast.secretariat,
        candidates=3,
        voters=6,
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    session.refresh_from_db()
    return session


@built_once
def paper_session():
    cast = build_cast()
    cast.paper = _closed(cast, "paper_ballots")
    cast.candidates = list(cast.paper.candidates.order_by("order"))
    return cast


def _choices(cast, *levels):
    return {c.pk: lv for c, lv in zip(cast.candidates, levels, strict=True)}


def test_the_ballot_form_prints_one_page_per_summoned_person(client, paper_session):
    client.force_login(paper_session.committee)
    response = client.get(reverse("ballots:ballot_form", args=[paper_session.paper.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 6
    text = " ".join(reader.pages[0].extract_text().split())  # headers wrap in narrow columns
    assert "PHIẾU TÍN NHIỆM" in text
    for candidate in paper_session.candidates:
        assert candidate.official.full_name in text
    for label in ("Tín nhiệm cao", "Tín nhiệm thấp", "STT"):
        assert label in text


def test_a_spoiled_line_voids_only_that_person(paper_session):
    entry = paper.paper_entry_start(actor=paper_session.committee, session=paper_session.paper)
    paper.paper_ballot_add(
        actor=paper_session.committee,
        entry=entry,
        choices=_choices(paper_session, "high", "blank", "low"),
    )
    marks = dict(Mark.objects.values_list("candidate_id", "level"))
    first, second, third = paper_session.candidates
    assert marks == {first.pk: "high", second.pk: "invalid", third.pk: "low"}


def test_a_ballot_missing_a_person_or_naming_a_stranger_is_refused(paper_session):
    entry = paper.paper_entry_start(actor=paper_session.committee, session=paper_session.paper)
    first = paper_session.candidates[0]
    with pytest.raises(ValidationError):
        paper.paper_ballot_add(
            actor=paper_session.committee, entry=entry, choices={first.pk: "high"}
        )
    stranger = paper_session.other_session.candidates.first()
    with pytest.raises(ValidationError):
        paper.paper_ballot_add(
            actor=paper_session.committee,
            entry=entry,
            choices={**_choices(paper_session, "high", "high", "high"), stranger.pk: "low"},
        )
    assert not Ballot.objects.exists()


def test_the_entry_page_saves_a_ballot_and_is_ready_for_the_next(client, paper_session):
    client.force_login(paper_session.committee)
    session = paper_session.paper
    client.post(reverse("ballots:paper_start", args=[session.pk, "A"]))
    url = reverse("ballots:paper_entry", args=[session.pk, "A"])
    first, second, third = paper_session.candidates
    response = client.post(url, {f"c{first.pk}": "high", f"c{third.pk}": "low"})
    assert response.status_code == 302
    assert dict(Mark.objects.values_list("candidate_id", "level")) == {
        first.pk: "high",
        second.pk: "invalid",
        third.pk: "low",
    }
    client.post(url, {"whole_invalid": "1"})
    assert Ballot.objects.filter(whole_invalid=True).count() == 1
    client.post(reverse("ballots:paper_undo", args=[session.pk, "A"]))
    assert Ballot.objects.count() == 1
    assert not Ballot.objects.filter(whole_invalid=True).exists()


def test_a_tampered_entry_is_refused_with_a_4xx(client, paper_session):
    client.force_login(paper_session.committee)
    session = paper_session.paper
    client.post(reverse("ballots:paper_start", args=[session.pk, "A"]))
    response = client.post(
        reverse("ballots:paper_entry", args=[session.pk, "A"]),
        {f"c{paper_session.candidates[0].pk}": "yes"},
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_an_unknown_entry_label_is_a_404(client, paper_session):
    client.force_login(paper_session.committee)
    url = f"/sessions/{paper_session.paper.pk}/paper/C/start/"
    assert client.post(url).status_code == 404
    assert not PaperEntry.objects.exists()


def _enter(cast, user, label, ballots, whole_invalid=0):
    entry = paper.paper_entry_start(actor=user, session=cast.paper, label=label)
    for levels in ballots:
        paper.paper_ballot_add(actor=user, entry=entry, choices=_choices(cast, *levels))
    for _ in range(whole_invalid):
        paper.paper_ballot_add(actor=user, entry=entry, choices={}, whole_invalid=True)
    paper.paper_entry_finish(actor=user, entry=entry)
    return entry


def test_double_entry_disagreement_blocks_reconciliation_until_fixed(paper_session):
    second_member = make_member(paper_session.org, "committee", "kiemphieu2")
    ballots = [("high", "low", "medium"), ("low", "low", "blank")]
    _enter(paper_session, paper_session.committee, "A", ballots)
    assert reconciled(paper_session.paper)  # single entry, finished
    wrong = _enter(
        paper_session, second_member, "B", [("high", "low", "medium"), ("low", "medium", "blank")]
    )
    disagreements = entries_disagreements(paper_session.paper)
    assert {(d.level, d.a, d.b) for d in disagreements} == {
        ("Tín nhiệm thấp", 2, 1),
        ("Tín nhiệm", 0, 1),
    }
    assert not reconciled(paper_session.paper)
    paper.paper_entry_discard(actor=second_member, entry=wrong)
    _enter(paper_session, second_member, "B", ballots)
    assert entries_disagreements(paper_session.paper) == []
    assert reconciled(paper_session.paper)


def test_the_second_entry_needs_another_member_and_a_finished_first(paper_session):
    with pytest.raises(ValidationError) as excinfo:
        paper.paper_entry_start(
            actor=paper_session.committee, session=paper_session.paper, label="B"
        )
    assert excinfo.value.code == "need_a"
    _enter(paper_session, paper_session.committee, "A", [("high", "high", "high")])
    with pytest.raises(ValidationError) as excinfo:
        paper.paper_entry_start(
            actor=paper_session.committee, session=paper_session.paper, label="B"
        )
    assert excinfo.value.code == "same_person"


def test_finishing_an_entry_rewrites_its_ballots_with_new_ids(paper_session):
    entry = paper.paper_entry_start(actor=paper_session.committee, session=paper_session.paper)
    for _ in range(4):
        paper.paper_ballot_add(
            actor=paper_session.committee,
            entry=entry,
            choices=_choices(paper_session, "high", "low", "low"),
        )
    before = set(Ballot.objects.values_list("id", flat=True))
    paper.paper_entry_finish(actor=paper_session.committee, entry=entry)
    after = set(Ballot.objects.values_list("id", flat=True))
    assert len(after) == 4 and not before & after
    assert Mark.objects.count() == 12


@pytest.mark.parametrize("who", ["leader", "other_secretariat", "outsider"])
def test_only_the_committee_enters_paper_ballots(client, paper_session, who):
    client.force_login(getattr(paper_session, who))
    response = client.post(reverse("ballots:paper_start", args=[paper_session.paper.pk, "A"]))
    assert response.status_code == 404
    assert not PaperEntry.objects.exists()


def test_paper_ballots_are_entered_only_after_close(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"), cast.secretariat
    )
    with pytest.raises(ValidationError) as excinfo:
        paper.paper_entry_start(actor=cast.committee, session=session)
    assert excinfo.value.code == "not_closed"


def test_the_committee_figures_check_issued_against_collected(paper_session):
    _enter(paper_session, paper_session.committee, "A", [("high", "high", "high")] * 3)
    with pytest.raises(ValidationError) as excinfo:
        paper.count_sheet_save(
            actor=paper_session.committee, session=paper_session.paper, present=6, issued=2
        )
    assert "collected" in excinfo.value.message_dict
    paper.count_sheet_save(
        actor=paper_session.committee, session=paper_session.paper, present=6, issued=6
    )
    assert CountSheet.objects.get(session=paper_session.paper).issued == 6


# --- Tally sheet ------------------------------------------------------------------------------


@built_once
def tally_session():
    cast = build_cast()
    cast.tally = _closed(cast, "paper_tally")
    cast.candidates = list(cast.tally.candidates.order_by("order"))
    return cast


def _tally_post(cast, **overrides):
    data = {"present": 6, "issued": 6, "collected": 5, "whole_invalid": 1, "explanation": ""}
    for c in cast.candidates:
        data.update(
            {f"n_{c.pk}_high": 2, f"n_{c.pk}_medium": 1, f"n_{c.pk}_low": 1, f"n_{c.pk}_invalid": 0}
        )
    data.update(overrides)
    return data


def test_a_consistent_tally_sheet_is_saved(client, tally_session):
    client.force_login(tally_session.committee)
    url = reverse("ballots:tally", args=[tally_session.tally.pk])
    assert client.post(url, _tally_post(tally_session)).status_code == 302
    assert TallyCount.objects.filter(session=tally_session.tally).count() == 3 * 4
    sheet = CountSheet.objects.get(session=tally_session.tally)
    assert (sheet.collected, sheet.whole_invalid, sheet.issued) == (5, 1, 6)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"collected": 7}, "collected"),  # more collected than issued
        ({"issued": 9}, "issued"),  # more issued than summoned, unexplained
        ({"present": 9}, "present"),
        ({"whole_invalid": 6}, "whole_invalid"),
        ("sum_low", "invalid"),  # a row adds up to less than the valid ballots
        ("too_big", "high"),
    ],
)
def test_each_tally_check_names_its_field_and_saves_nothing(client, tally_session, override, field):
    client.force_login(tally_session.committee)
    first = tally_session.candidates[0]
    if override == "sum_low":
        override = {f"n_{first.pk}_high": 1}
        field = f"n_{first.pk}_invalid"
    elif override == "too_big":
        override = {f"n_{first.pk}_high": 8}
        field = f"n_{first.pk}_high"
    response = client.post(
        reverse("ballots:tally", args=[tally_session.tally.pk]),
        _tally_post(tally_session, **override),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not TallyCount.objects.exists()
    assert not CountSheet.objects.exists()


def test_issuing_more_than_summoned_is_allowed_with_an_explanation(client, tally_session):
    client.force_login(tally_session.committee)
    data = _tally_post(tally_session, issued=8, explanation="2 phiếu hỏng được đổi")
    response = client.post(reverse("ballots:tally", args=[tally_session.tally.pk]), data)
    assert response.status_code == 302


def test_a_negative_or_non_numeric_count_is_refused(client, tally_session):
    client.force_login(tally_session.committee)
    first = tally_session.candidates[0]
    for bad in ("-1", "abc"):
        response = client.post(
            reverse("ballots:tally", args=[tally_session.tally.pk]),
            _tally_post(tally_session, **{f"n_{first.pk}_high": bad}),
        )
        assert response.status_code == 400
        assert f"n_{first.pk}_high" in response.context["form"].errors
    assert not TallyCount.objects.exists()


def test_only_its_own_entrant_types_into_an_entry(client, paper_session):
    other = make_member(paper_session.org, "committee", "kiemphieu_khac")
    session = paper_session.paper
    paper.paper_entry_start(actor=paper_session.committee, session=session)
    client.force_login(other)
    url = reverse("ballots:paper_entry", args=[session.pk, "A"])
    assert client.get(url).context["mine"] is False
    response = client.post(url, {f"c{c.pk}": "high" for c in paper_session.candidates})
    assert response.status_code == 404
    assert client.post(reverse("ballots:paper_finish", args=[session.pk, "A"])).status_code == 404
    assert not Ballot.objects.exists()
    assert PaperEntry.objects.get(session=session).state == "open"


def test_the_paper_services_let_only_its_own_entrant_type_into_an_entry(paper_session):
    other = make_member(paper_session.org, "committee", "kiemphieu_khac")
    entry = paper.paper_entry_start(actor=paper_session.committee, session=paper_session.paper)
    ballot = paper.paper_ballot_add(
        actor=paper_session.committee,
        entry=entry,
        choices=_choices(paper_session, "high", "low", "low"),
    )
    attempts = [
        lambda: paper.paper_ballot_add(
            actor=other, entry=entry, choices=_choices(paper_session, "high", "low", "low")
        ),
        lambda: paper.paper_ballot_add(actor=other, entry=entry, choices={}, whole_invalid=True),
        lambda: paper.paper_ballot_remove(actor=other, entry=entry, ballot_id=ballot.pk),
        lambda: paper.paper_entry_finish(actor=other, entry=entry),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert excinfo.value.code == "not_entrant"
    assert list(Ballot.objects.values_list("pk", flat=True)) == [ballot.pk]
    assert PaperEntry.objects.get(pk=entry.pk).state == "open"


def test_discarding_entry_a_keeps_the_finished_entry_b_and_its_ballots(paper_session):
    second_member = make_member(paper_session.org, "committee", "kiemphieu2")
    third_member = make_member(paper_session.org, "committee", "kiemphieu3")
    ballots = [("high", "low", "medium"), ("low", "low", "blank"), ("high", "high", "high")]
    wrong_a = _enter(paper_session, paper_session.committee, "A", ballots[:2])
    b = _enter(paper_session, second_member, "B", ballots)
    assert entries_disagreements(paper_session.paper)

    assert paper.paper_entry_discard(actor=paper_session.committee, entry=wrong_a) == 2

    assert PaperEntry.objects.get(session=paper_session.paper, label="B") == b
    assert Ballot.objects.filter(entry=b).count() == 3
    assert not reconciled(paper_session.paper)  # B alone is never the count
    with pytest.raises(ValidationError) as excinfo:
        paper.paper_entry_start(actor=second_member, session=paper_session.paper, label="A")
    assert excinfo.value.code == "same_person"  # B's entrant cannot type the A that B checks
    _enter(paper_session, third_member, "A", ballots)
    assert entries_disagreements(paper_session.paper) == []
    assert reconciled(paper_session.paper)


def test_the_discard_confirmation_says_exactly_what_is_lost_and_what_stays(client, paper_session):
    second_member = make_member(paper_session.org, "committee", "kiemphieu2")
    _enter(paper_session, paper_session.committee, "A", [("high", "low", "medium")] * 2)
    _enter(paper_session, second_member, "B", [("high", "low", "medium")] * 3)
    client.force_login(paper_session.committee)
    page = client.get(reverse("ballots:paper", args=[paper_session.paper.pk])).content.decode()
    assert (
        "Hủy lượt nhập A cùng 2 phiếu đã nhập? Lượt nhập B và 3 phiếu của nó vẫn giữ nguyên."
        in page
    )
    assert (
        "Hủy lượt nhập B cùng 3 phiếu đã nhập? Lượt nhập A và 2 phiếu của nó vẫn giữ nguyên."
        in page
    )

    response = client.post(reverse("ballots:paper_discard", args=[paper_session.paper.pk, "A"]))
    assert response.status_code == 302
    assert list(PaperEntry.objects.values_list("label", flat=True)) == ["B"]
    page = client.get(response["Location"]).content.decode()
    assert "Đã hủy lượt nhập A cùng 2 phiếu." in page
    assert "Lượt nhập A đã bị hủy; lượt nhập B được giữ lại" in page
