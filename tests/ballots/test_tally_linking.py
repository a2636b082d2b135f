"""Imports that link: each row of a tally sheet continues the history of the body's official
with the same name (case, diacritics and NFD ignored), on the command line and in the browser."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from ballots.tally_import_views import SALT
from sessions.models import Candidate, Membership, Official, VotingSession
from tests.ballots.import_confirm import confirm
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db

SHEET = (
    "STT,Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\n"
    "1,{first},Chủ tịch,40,5,2\n"
    "2,Nông Đức Hải,Phó Chủ tịch,19,2,25\n"
)


def _sheet(first: str = "nguyen van a") -> str:
    return SHEET.format(first=first)


def _command(tmp_path, body: str, *flags: str, sheet: str | None = None, title: str = "2025"):
    path = tmp_path / "tally.csv"
    path.write_text(sheet or _sheet(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = ["--title", title, "--regime", "qd96", "--collected", "47", "--organization", body]
    call_command("import_tally", str(path), *args, *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _body_with(*names: str, body: str = "Hội Cựu chiến binh xã"):
    org = make_org(body)
    officials = [
        Official.objects.create(organization=org, full_name=name, positions="Chủ tịch")
        for name in names
    ]
    return org, officials


def _session(title: str) -> VotingSession:
    return VotingSession.objects.get(title=title)


def test_matching_ignores_case_diacritics_and_nfd(tmp_path):
    org, (known,) = _body_with("Nguyễn Văn A")
    decomposed = unicodedata.normalize("NFD", "NGUYỄN văn a")
    out, _ = _command(tmp_path, org.name, "--match-officials", sheet=_sheet(decomposed))
    first = _session("2025").candidates.get(order=1)
    assert first.official_id == known.pk
    assert f"official #{known.pk}" in out
    # The row without a namesake in the body became a new official of that body.
    second = _session("2025").candidates.get(order=2).official
    assert (second.full_name, second.organization_id) == ("Nông Đức Hải", org.pk)


def test_matching_stays_within_the_body(tmp_path):
    org, _ = _body_with("Trần Thị B")
    _, (elsewhere,) = _body_with("Nguyễn Văn A", body="Hội Nông dân xã")
    _command(tmp_path, org.name, "--match-officials")
    first = _session("2025").candidates.get(order=1).official
    assert first.pk != elsewhere.pk
    assert first.organization_id == org.pk


def test_an_ambiguous_name_refuses_the_whole_import_naming_the_row(tmp_path):
    org, twins = _body_with("Nguyễn Văn A", "NGUYEN VAN A")
    path = tmp_path / "tally.csv"
    path.write_text(_sheet(), encoding="utf-8")
    before, err = Official.objects.count(), io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command(
            "import_tally",
            str(path),
            *["--title", "2025", "--regime", "qd96", "--collected", "47"],
            *["--organization", org.name, "--match-officials"],
            stderr=err,
        )
    assert "Row 2, column họ và tên / name" in err.getvalue()
    assert all(f"#{o.pk}" in err.getvalue() for o in twins)
    assert not VotingSession.objects.filter(title="2025").exists()
    assert Official.objects.count() == before


def test_new_officials_always_creates(tmp_path):
    org, (known,) = _body_with("Nguyễn Văn A")
    _command(tmp_path, org.name, "--new-officials", sheet=_sheet("Nguyễn Văn A"))
    first = _session("2025").candidates.get(order=1).official
    assert first.pk != known.pk
    assert org.officials.filter(full_name="Nguyễn Văn A").count() == 2


def test_a_body_with_officials_needs_one_of_the_two_choices(tmp_path):
    org, _ = _body_with("Nguyễn Văn A")
    with pytest.raises(CommandError, match="--match-officials"):
        _command(tmp_path, org.name)
    assert not VotingSession.objects.filter(title="2025").exists()


def test_a_new_body_needs_no_choice(tmp_path):
    _command(tmp_path, "Hội Phụ nữ xã mới")
    assert _session("2025").candidates.count() == 2


def test_two_rows_linked_to_one_official_are_refused(tmp_path):
    org, _ = _body_with("Nguyễn Văn A")
    sheet = _sheet() + "3,Nguyễn Văn A,Ủy viên,1,1,1\n"
    with pytest.raises(CommandError):
        _command(tmp_path, org.name, "--match-officials", sheet=sheet)
    assert not VotingSession.objects.filter(title="2025").exists()


# --- The browser: read, confirm, import -------------------------------------------------------


def _secretariat(org):
    return make_member(org, Membership.Role.SECRETARIAT)


def _upload(client, org, title="Nhập 2026", first="nguyen van a"):
    return client.post(
        reverse("ballots:tally_import"),
        {
            "organization": org.pk,
            "title": title,
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 47,
            "file": SimpleUploadedFile("t.csv", _sheet(first).encode()),
        },
    )


def test_the_preview_shows_each_match_and_creates_nothing(client):
    org, (known,) = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    response = _upload(client, org)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-import"' in html
    assert f'<option value="{known.pk}" selected>Nguyễn Văn A' in html
    assert 'name="link_3"' not in html  # Nông Đức Hải has no namesake: a new official
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()
    assert org.officials.count() == 1


def test_confirming_links_the_session_to_the_existing_official(client):
    org, (known,) = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    response = confirm(client, _upload(client, org))
    assert response.status_code == 302
    session = _session("Nhập 2026")
    assert session.candidates.get(order=1).official_id == known.pk
    assert org.officials.count() == 2  # the existing one and Nông Đức Hải


def test_choosing_new_official_for_a_row_creates_one(client):
    org, (known,) = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    preview = _upload(client, org)
    line = next(k for k, v in preview.context["payload"]["matches"].items() if v == known.pk)
    assert confirm(client, preview, **{f"link_{line}": "new"}).status_code == 302
    first = _session("Nhập 2026").candidates.get(order=1).official
    assert first.pk != known.pk and first.full_name == "nguyen van a"


def test_a_tampered_payload_is_refused_and_nothing_created(client):
    org, _ = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    token = _upload(client, org).context["token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(reverse("ballots:tally_import"), {"payload": forged})
    assert response.status_code == 400
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()


def test_a_row_linked_to_an_official_not_proposed_is_refused(client):
    org, (known,) = _body_with("Nguyễn Văn A")
    _, (elsewhere,) = _body_with("Nông Đức Hải", body="Hội Nông dân xã")
    client.force_login(_secretariat(org))
    preview = _upload(client, org)
    rows = preview.context["payload"]["rows"]
    line = next(row[0] for row in rows if row[2] == "Nông Đức Hải")
    response = confirm(client, preview, **{f"link_{line}": str(elsewhere.pk)})
    assert response.status_code == 400
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()
    assert not Candidate.objects.filter(official=elsewhere).exists()


def test_a_payload_signed_for_another_account_is_refused(client):
    org, _ = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    payload = _upload(client, org).context["payload"]
    client.force_login(_secretariat(org))
    token = signing.dumps(payload, salt=SALT, compress=True)
    response = client.post(reverse("ballots:tally_import"), {"payload": token})
    assert response.status_code == 400
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()


def test_an_ambiguous_name_in_the_browser_names_the_row_and_offers_no_import(client):
    org, twins = _body_with("Nguyễn Văn A", "nguyễn văn a")
    client.force_login(_secretariat(org))
    response = _upload(client, org)
    assert response.status_code == 400
    html = response.content.decode()
    assert all(f"#{o.pk}" in html for o in twins)
    assert 'id="confirm-import"' not in html
    assert confirm_refused(client, response)
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()


def confirm_refused(client, preview) -> bool:
    data = {"payload": preview.context["token"]}
    return client.post(reverse("ballots:tally_import"), data).status_code == 400


def test_the_officials_page_shows_both_years_after_two_imports(client):
    org, _ = _body_with()
    secretariat = _secretariat(org)
    client.force_login(secretariat)
    confirm(client, _upload(client, org, title="Năm 2025", first="Nguyễn Văn A"))
    confirm(client, _upload(client, org, title="Năm 2026", first="NGUYEN VAN A"))
    official = _session("Năm 2025").candidates.get(order=1).official
    assert _session("Năm 2026").candidates.get(order=1).official_id == official.pk
    response = client.get(reverse("results:official", args=[official.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm 2025" in html and "Năm 2026" in html


def test_two_rows_on_one_official_in_the_browser_are_refused_until_one_is_new(client):
    org, (known,) = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    sheet = _sheet() + "3,Nguyễn Văn A,Ủy viên,1,1,1\n"
    preview = client.post(
        reverse("ballots:tally_import"),
        {
            "organization": org.pk,
            "title": "Nhập 2026",
            "date": "2026-09-14",
            "regime": "qd96",
            "procedure": "rating",
            "collected": 47,
            "file": SimpleUploadedFile("t.csv", sheet.replace("2,Nông", "9,Nông").encode()),
        },
    )
    lines = sorted(int(k) for k in preview.context["payload"]["matches"])
    assert len(lines) == 2
    refused = confirm(client, preview)
    assert refused.status_code == 400
    assert "Nguyễn Văn A" in refused.content.decode()
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()
    assert confirm(client, preview, **{f"link_{lines[1]}": "new"}).status_code == 302
    candidates = _session("Nhập 2026").candidates.order_by("order")
    assert candidates[0].official_id == known.pk
    assert org.officials.count() == 3  # the kept one, the namesake made new, Nông Đức Hải


# --- What the attack on the linking import found ------------------------------------------------


def test_one_confirmation_posted_twice_creates_one_session(client):
    org, _ = _body_with("Nguyễn Văn A")
    client.force_login(_secretariat(org))
    preview = _upload(client, org)
    assert confirm(client, preview).status_code == 302
    again = confirm(client, preview)
    assert again.status_code == 302
    assert VotingSession.objects.filter(title="Nhập 2026").count() == 1


def test_the_same_spelling_with_its_tone_marks_wins_over_a_namesake_without_them(tmp_path):
    org, (hung, _hung_with_horn) = _body_with("Nguyễn Văn Hùng", "Nguyễn Văn Hưng")
    _command(tmp_path, org.name, "--match-officials", sheet=_sheet("Nguyễn Văn Hùng"))
    assert _session("2025").candidates.get(order=1).official_id == hung.pk


def test_a_signed_payload_missing_a_field_is_a_400_not_a_500(client):
    org, _ = _body_with("Nguyễn Văn A")
    user = _secretariat(org)
    client.force_login(user)
    payload = dict(_upload(client, org).context["payload"])
    del payload["rows"]
    token = signing.dumps(payload, salt=SALT, compress=True)
    assert client.post(reverse("ballots:tally_import"), {"payload": token}).status_code == 400
    assert not VotingSession.objects.filter(title="Nhập 2026").exists()


def test_the_command_finds_an_existing_body_whatever_its_capitals(tmp_path):
    org, (known,) = _body_with("Nguyễn Văn A", body="EA")
    _command(tmp_path, "ea", "--match-officials")
    assert _session("2025").organization_id == org.pk
    assert _session("2025").candidates.get(order=1).official_id == known.pk
