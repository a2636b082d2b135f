"""Certification, the minutes, publication and who sees results when."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections
from django.urls import reverse
from pypdf import PdfReader

from ballots import paper, services
from results import services as result_services
from results.models import Certification
from sessions.models import AuditEvent, VotingSession
from tests.built_once import built_once
from tests.factories import (
    build_cast,
    fill_session,
    full_choices,
    make_member,
    make_session,
    open_session,
)


def _vote(session, codes, levels_per_ballot):
    candidates = list(session.candidates.filter(excluded=False).order_by("order"))
    for code, levels in zip(codes, levels_per_ballot, strict=False):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(candidates, levels, strict=True)}
        )


@built_once
def counted():
    """The cast's session, voted and closed: 5 ballots, the second person mostly low."""
    cast = build_cast()
    codes = open_session(cast.session, cast.secretariat, codes=5, activate=5)
    _vote(
        cast.session,
        codes,
        [
            ["high", "low", "medium"],
            ["high", "low", "medium"],
            ["high", "low", "blank"],
            ["medium", "low", "medium"],
            ["high", "medium", "low"],
        ],
    )
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def test_certifying_freezes_minutes_whose_text_carries_names_figures_and_conclusions(counted):
    certification = result_services.result_certify(actor=counted.committee, session=counted.session)
    counted.session.refresh_from_db()
    assert counted.session.status == "certified"
    pdf = bytes(certification.minutes_pdf)
    assert hashlib.sha256(pdf).hexdigest() == certification.minutes_sha256
    text = _pdf_text(pdf)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Ứng viên Số 2" in text and "Phó Chủ tịch 2" in text
    assert "80,00%" in text  # 4 of 5 low for the second person
    assert "có từ hai phần ba tổng số phiếu trở lên đánh giá tín nhiệm thấp" in text
    assert "miễn nhiệm" not in text  # what follows belongs in the report, not the minutes
    assert "TM. BAN KIỂM PHIẾU" in text and "Trưởng Ban Kiểm" in text
    assert counted.session.voter_list_sha256[:20] in text.replace(" ", "")
    assert certification.ballot_set_sha256[:20] in text.replace(" ", "")
    assert hashlib.sha256(bytes(certification.ballot_set_csv)).hexdigest() == (
        certification.ballot_set_sha256
    )
    assert AuditEvent.objects.filter(session=counted.session, action="results_certified").exists()


def test_the_ballot_set_recounts_to_the_minutes(counted):
    certification = result_services.result_certify(actor=counted.committee, session=counted.session)
    rows = list(csv.reader(io.StringIO(bytes(certification.ballot_set_csv).decode())))
    assert rows[0] == ["ballot", "1", "2", "3"]
    assert len(rows) == 6
    assert sum(1 for r in rows[1:] if r[2] == "low") == 4
    assert sum(1 for r in rows[1:] if r[3] == "invalid") == 1
    assert not any(
        str(b) in bytes(certification.ballot_set_csv).decode()
        for b in counted.session.ballots.values_list("id", flat=True)
    )


def test_certification_happens_once_and_only_by_the_committee(client, counted):
    client.force_login(counted.secretariat)
    assert client.post(reverse("results:certify", args=[counted.session.pk])).status_code == 404
    client.force_login(counted.committee)
    client.post(reverse("results:certify", args=[counted.session.pk]))
    client.post(reverse("results:certify", args=[counted.session.pk]))
    assert Certification.objects.filter(session=counted.session).count() == 1


def test_an_open_session_cannot_be_certified(cast):
    open_session(cast.session, cast.secretariat)
    with pytest.raises(ValidationError):
        result_services.result_certify(actor=cast.committee, session=cast.session)
    assert not Certification.objects.exists()


def test_double_entry_disagreement_blocks_certification(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"), cast.secretariat
    )
    from sessions import services as session_services

    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    candidates = list(session.candidates.order_by("order"))
    second = make_member(cast.org, "committee", "kiemphieu2")
    for user, label, level in ((cast.committee, "A", "high"), (second, "B", "low")):
        entry = paper.paper_entry_start(actor=user, session=session, label=label)
        paper.paper_ballot_add(actor=user, entry=entry, choices={c.pk: level for c in candidates})
        paper.paper_entry_finish(actor=user, entry=entry)
    with pytest.raises(ValidationError):
        result_services.result_certify(actor=cast.committee, session=session)
    assert not Certification.objects.exists()


def test_a_certified_tally_can_no_longer_change(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_tally"),
        cast.secretariat,
        candidates=1,
    )
    from sessions import services as session_services

    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    candidate = session.candidates.get()
    data = paper.TallyInput(
        collected=5,
        issued=5,
        counts={
            (candidate.pk, "high"): 5,
            (candidate.pk, "medium"): 0,
            (candidate.pk, "low"): 0,
            (candidate.pk, "invalid"): 0,
        },
    )
    paper.tally_save(actor=cast.committee, session=session, data=data)
    result_services.result_certify(actor=cast.committee, session=session)
    with pytest.raises(ValidationError) as excinfo:
        paper.tally_save(actor=cast.committee, session=session, data=data)
    assert excinfo.value.code == "locked"


def test_publish_and_unpublish_are_audited(client, counted):
    result_services.result_certify(actor=counted.committee, session=counted.session)
    client.force_login(counted.secretariat)
    client.post(reverse("results:publish", args=[counted.session.pk]))
    counted.session.refresh_from_db()
    assert counted.session.status == "published"
    client.post(reverse("results:unpublish", args=[counted.session.pk]))
    counted.session.refresh_from_db()
    assert counted.session.status == "certified"
    actions = list(
        AuditEvent.objects.filter(session=counted.session).values_list("action", flat=True)
    )
    assert actions[-2:] == ["results_published", "results_unpublished"]


def test_uncertified_results_cannot_be_published(counted):
    with pytest.raises(ValidationError):
        result_services.result_publish(actor=counted.secretariat, session=counted.session)


# --- Who sees what, when ----------------------------------------------------------------------


def _pages(session):
    return [
        reverse("results:page", args=[session.pk]),
        reverse("results:export", args=[session.pk, "csv"]),
        reverse("results:minutes", args=[session.pk]),
        reverse("results:api", args=[session.public_id]),
    ]


@pytest.mark.parametrize("who", ["secretariat", "committee", "leader", "superuser"])
def test_nothing_is_visible_while_voting_is_open(client, cast, who):
    codes = open_session(cast.session, cast.secretariat)
    services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
    )
    client.force_login(getattr(cast, who))
    for url in _pages(cast.session):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("committee", 200),
        ("leader", 200),
        ("parent_leader", 200),
        ("other_secretariat", 404),
        ("outsider", 404),
    ],
)
def test_closed_results_are_for_the_sessions_readers(client, counted, who, status):
    client.force_login(getattr(counted, who))
    for url in _pages(counted.session):
        assert client.get(url).status_code == status, url


def test_internal_results_reach_every_member_above_once_published(client, counted):
    parent_committee = make_member(counted.province, "committee", "kiemphieu_tinh")
    client.force_login(parent_committee)
    url = reverse("results:page", args=[counted.session.pk])
    assert client.get(url).status_code == 404
    result_services.result_certify(actor=counted.committee, session=counted.session)
    result_services.result_publish(actor=counted.secretariat, session=counted.session)
    assert client.get(url).status_code == 200
    client.logout()
    api = reverse("results:api", args=[counted.session.public_id])
    assert client.get(api).status_code == 404  # anonymous: internal results do not exist
    client.force_login(counted.other_secretariat)
    assert client.get(api).status_code == 404
    assert (
        client.get(reverse("results:public_page", args=[counted.session.public_id])).status_code
        == 404
    )


def test_public_results_are_open_to_anyone_with_the_pdf(client, counted):
    from sessions.models import VotingSession

    VotingSession.objects.filter(pk=counted.session.pk).update(scope="public")
    counted.session.refresh_from_db()
    result_services.result_certify(actor=counted.committee, session=counted.session)
    public_list = reverse("results:public_list")
    assert counted.session.title not in client.get(public_list).content.decode()
    result_services.result_publish(actor=counted.secretariat, session=counted.session)
    assert counted.session.title in client.get(public_list).content.decode()
    page = client.get(reverse("results:public_page", args=[counted.session.public_id]))
    assert page.status_code == 200
    assert "80,00%" in page.content.decode()
    pdf = client.get(reverse("results:public_minutes", args=[counted.session.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    document = client.get(reverse("results:api", args=[counted.session.public_id])).json()
    assert document["candidates"][1]["percent"]["low"] == "80.00"
    result_services.result_unpublish(actor=counted.secretariat, session=counted.session)
    assert (
        client.get(reverse("results:public_page", args=[counted.session.public_id])).status_code
        == 404
    )


def test_the_json_document_has_the_documented_shape(client, counted):
    client.force_login(counted.leader)
    document = client.get(reverse("results:api", args=[counted.session.public_id])).json()
    assert set(document["session"]) >= {
        "regime",
        "procedure",
        "summoned",
        "present",
        "issued",
        "collected",
        "invalid_ballots",
        "denominator",
    }
    first = document["candidates"][0]
    assert set(first) >= {"order", "name", "position", "counts", "percent", "band", "consequence"}
    assert first["counts"] == {"high": 4, "medium": 1, "low": 0, "invalid": 0}
    assert first["percent"]["high"] == "80.00"
    assert document["candidates"][1]["band"] == "two_thirds"


def test_the_results_page_shows_vietnamese_numbers_and_the_consequence(client, counted):
    client.force_login(counted.leader)
    page = client.get(reverse("results:page", args=[counted.session.pk])).content.decode()
    assert "80,00%" in page and "80.00%" not in page
    assert "band-two_thirds" in page
    assert "<svg" in page
    sorted_page = client.get(reverse("results:page", args=[counted.session.pk]), {"sort": "-low"})
    assert [line.number for line in sorted_page.context["lines"]][0] == 2


def test_exports_carry_the_same_figures(client, counted):
    client.force_login(counted.leader)
    body = client.get(reverse("results:export", args=[counted.session.pk, "csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Họ và tên", "Chức vụ", "Tín nhiệm cao (số phiếu)"]
    assert rows[2][7:9] == ["4", "80.00"]
    xlsx = client.get(reverse("results:export", args=[counted.session.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"/sessions/{counted.session.pk}/results/results.pdf").status_code == 404


def test_the_results_and_minutes_commands(tmp_path, counted):
    out = io.StringIO()
    call_command("results", counted.session.public_id, "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["candidates"][1]["counts"]["low"] == 4
    target = tmp_path / "bb.pdf"
    call_command("minutes", str(counted.session.pk), "-o", str(target), stdout=io.StringIO())
    assert "BIÊN BẢN KIỂM PHIẾU" in _pdf_text(target.read_bytes())


def test_the_results_command_refuses_a_session_still_open(cast):
    open_session(cast.session, cast.secretariat)
    with pytest.raises(CommandError, match="is open: results exist once voting closed"):
        call_command("results", cast.session.public_id, stdout=io.StringIO())


def test_a_stored_public_id_starting_with_a_dash_still_works_on_the_command_line(
    tmp_path, capsys, monkeypatch, counted
):
    """Ids made before new_public_id() skipped a leading "-" (one in 64) stay usable."""
    # Each command's own command-line path (argv parsed as manage.py does), without
    # execute_from_command_line's django.setup(), which would point the logging at this test's
    # captured stderr; run from the command line, a command closes the database connections
    # when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def manage(*argv: str) -> str:
        ManagementUtility(["manage.py", *argv]).fetch_command(argv[0]).run_from_argv(
            ["manage.py", *argv]
        )
        return capsys.readouterr().out

    VotingSession.objects.filter(pk=counted.session.pk).update(public_id="-AbC12dEf3_x")
    document = json.loads(manage("results", "--", "-AbC12dEf3_x"))
    assert document["candidates"][1]["counts"]["low"] == 4
    target = tmp_path / "bb.pdf"
    manage("minutes", "-o", str(target), "--", "-AbC12dEf3_x")
    assert "BIÊN BẢN KIỂM PHIẾU" in _pdf_text(target.read_bytes())
    assert f"session {counted.session.pk} " in manage("verify_audit", "--session=-AbC12dEf3_x")
