"""An imported tally with or without subject, place, start time, present and committee: what is
not given stays unknown, and it can be filled in until the results are certified."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ballots import paper
from ballots.models import CountSheet
from results import services as result_services
from sessions.models import AuditEvent, VotingSession
from tests.ballots.import_confirm import confirm
from tests.factories import link_head

GOOD = (
    "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
    "1,Hoàng Văn Thành,Chủ tịch,40,5,2\n"
    "2,Nông Đức Hải,Phó Chủ tịch,19,2,25\n"
)
BASIC = ["--title", "Kỳ họp thứ 13", "--regime", "nq96", "--collected", "47"]


def _import(tmp_path, *args) -> VotingSession:
    path = tmp_path / "tally.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_tally", str(path), *BASIC, *args, stdout=out, stderr=io.StringIO())
    return VotingSession.objects.get(public_id=out.getvalue().strip().splitlines()[-1])


def test_an_import_without_details_leaves_every_unknown_unknown(tmp_path, db):
    session = _import(tmp_path)
    sheet = CountSheet.objects.get(session=session)
    assert (session.subject, session.place, session.start_time) == ("", "", None)
    assert session.subject != session.title  # the title is never the subject
    assert (sheet.present, sheet.issued, sheet.summoned) == (None, None, None)
    assert not session.committee.exists()


def test_the_command_takes_subject_place_time_present_and_committee(tmp_path, db):
    session = _import(
        tmp_path,
        "--issued",
        "48",
        "--summoned",
        "50",
        "--present",
        "48",
        "--subject",
        "người giữ chức vụ do Hội đồng nhân dân tỉnh bầu",
        "--place",
        "Hội trường tỉnh",
        "--start-time",
        "15:30",
        "--committee-head",
        "Lý Thị Nga, Đại biểu HĐND tỉnh, tổ số 1",
        "--committee-member",
        "Bế Văn Sáng, Đại biểu HĐND tỉnh",
        "--committee-member",
        "Lục Văn Kiểm",
    )
    assert session.subject == "người giữ chức vụ do Hội đồng nhân dân tỉnh bầu"
    assert (session.place, session.start_time) == ("Hội trường tỉnh", datetime.time(15, 30))
    assert CountSheet.objects.get(session=session).present == 48
    committee = {m.full_name: (m.unit, m.role) for m in session.committee.all()}
    assert committee == {
        "Lý Thị Nga": ("Đại biểu HĐND tỉnh, tổ số 1", "head"),
        "Bế Văn Sáng": ("Đại biểu HĐND tỉnh", "member"),
        "Lục Văn Kiểm": ("", "member"),
    }
    event = AuditEvent.objects.get(session=session, action="tally_imported")
    assert (event.detail["present"], event.detail["committee"]) == (48, 3)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--summoned", "40", "--present", "41"], "--present"),
        (["--committee-member", "Lê An, X", "--committee-member", "lê an ,Y"], "lê an"),
        (["--committee-member", ", Trưởng ban"], ", Trưởng ban"),
        (["--committee-head", "Nông Đức Hải, Phó Chủ tịch"], "Nông Đức Hải"),
    ],
)
def test_the_command_refuses_bad_details_and_creates_nothing(tmp_path, db, args, words):
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, *args)
    assert words in str(caught.value)
    assert not VotingSession.objects.exists()


def _form(cast, **extra):
    return {
        "organization": cast.org.pk,
        "title": "Kỳ họp thứ 13",
        "date": "2026-09-14",
        "regime": "nq96",
        "procedure": "rating",
        "collected": 47,
        "file": SimpleUploadedFile("t.csv", GOOD.encode()),
        **extra,
    }


def test_the_browser_import_takes_the_same_details(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        _form(
            cast,
            subject="Chủ tịch, Phó Chủ tịch",
            place="Hội trường",
            start_time="08:15",
            present="45",
            committee_head="Lý Thị Nga, Tổ 1",
            committee_members="Bế Văn Sáng, Tổ 2\n\nLục Văn Kiểm, Tổ 3\n",
        ),
    )
    assert confirm(client, response).status_code == 302
    session = VotingSession.objects.get(title="Kỳ họp thứ 13")
    assert (session.subject, session.place) == ("Chủ tịch, Phó Chủ tịch", "Hội trường")
    assert session.start_time == datetime.time(8, 15)
    assert CountSheet.objects.get(session=session).present == 45
    assert sorted(session.committee.values_list("full_name", "role")) == [
        ("Bế Văn Sáng", "member"),
        ("Lý Thị Nga", "head"),
        ("Lục Văn Kiểm", "member"),
    ]


def test_the_browser_import_without_details_keeps_them_unknown(client, cast):
    client.force_login(cast.secretariat)
    preview = client.post(reverse("ballots:tally_import"), _form(cast))
    assert confirm(client, preview).status_code == 302
    session = VotingSession.objects.get(title="Kỳ họp thứ 13")
    assert (session.subject, session.place, session.start_time) == ("", "", None)
    assert CountSheet.objects.get(session=session).present is None


def test_a_rated_committee_member_in_the_browser_import_is_a_problem_not_a_500(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:tally_import"),
        _form(cast, committee_head="Hoàng Văn Thành, Chủ tịch"),
    )
    assert response.status_code == 400
    assert "Hoàng Văn Thành" in response.content.decode()
    assert not VotingSession.objects.filter(title="Kỳ họp thứ 13").exists()


def _imported(cast) -> VotingSession:
    row = paper.TallyRow(
        line=2, order=1, full_name="Hoàng Văn Thành", position="Chủ tịch",
        counts={"high": 40, "medium": 5, "low": 2}, invalid=0,
    )  # fmt: skip
    return paper.tally_import(
        actor=cast.secretariat,
        organization=cast.org,
        title="Kỳ họp thứ 13",
        regime="nq96",
        procedure="rating",
        date=datetime.date(2026, 9, 14),
        rows=[row],
        collected=47,
        summoned=50,
    )


def test_subject_place_and_time_are_corrected_on_the_edit_page_until_certified(client, cast):
    session = _imported(cast)
    client.force_login(cast.secretariat)
    url = reverse("votesessions:edit", args=[session.pk])
    assert f'href="{url}"' in client.get(reverse("votesessions:detail", args=[session.pk])).text
    details = {
        "title": "Kỳ họp thứ 13",
        "subject": "Chủ tịch HĐND",
        "date": "2026-09-14",
        "start_time": "14:00",
        "place": "",
        # Not editable once counted: ignored.
        "regime": "qd96",
    }
    assert client.post(url, details).status_code == 302
    session.refresh_from_db()
    assert (session.subject, session.start_time, session.regime) == (
        "Chủ tịch HĐND",
        datetime.time(14),
        "nq96",
    )
    # Present, issued on the tally sheet; the summoned figure of the import is kept.
    tally = reverse("ballots:tally", args=[session.pk])
    candidate = session.candidates.get()
    figures = {"present": 48, "issued": 48, "collected": 47, "whole_invalid": 0, "summoned": 50}
    counts = {f"n_{candidate.pk}_{k}": v for k, v in {"high": 40, "medium": 5, "low": 2}.items()}
    counts[f"n_{candidate.pk}_invalid"] = 0
    client.force_login(cast.committee)
    assert client.post(tally, {**figures, **counts}).status_code == 302
    sheet = CountSheet.objects.get(session=session)
    assert (sheet.present, sheet.issued, sheet.summoned) == (48, 48, 50)
    link_head(session, cast.secretariat, cast.committee)
    result_services.result_certify(actor=cast.committee, session=session)
    client.force_login(cast.secretariat)
    response = client.post(url, {**details, "subject": "Đổi sau"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.subject == "Chủ tịch HĐND"
