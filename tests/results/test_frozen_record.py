"""What is published is what was certified: every page, export, the API and the `results`
command read the frozen results document, officials and organizations on a certified record
cannot be renamed, and an altered record is refused, never recomputed."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ballots import services
from results import services as result_services
from results.models import Certification
from sessions import services as session_services
from sessions.models import (
    AuditEvent,
    Candidate,
    Official,
    Organization,
    RegistryEvent,
    VotingSession,
)
from tests.built_once import built_once
from tests.factories import build_cast, open_session

BALLOTS = [
    ["high", "low", "medium"],
    ["high", "low", "low"],
    ["medium", "low", "high"],
    ["high", "medium", "low"],
]


def _certify(cast, *, scope: str = "public", publish: bool = True) -> VotingSession:
    VotingSession.objects.filter(pk=cast.session.pk).update(scope=scope)
    codes = open_session(cast.session, cast.secretariat, codes=4, activate=4)
    candidates = list(cast.session.candidates.order_by("order"))
    for code, levels in zip(codes, BALLOTS, strict=True):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(candidates, levels, strict=True)}
        )
    services.session_close(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    result_services.result_certify(actor=cast.committee, session=cast.session)
    if publish:
        result_services.result_publish(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    return cast.session


@built_once
def published():
    cast = build_cast()
    _certify(cast)
    return cast


def _html(response) -> str:
    """A page without what changes on every request (CSRF tokens)."""
    assert response.status_code == 200, response.status_code
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _history(response) -> list[tuple]:
    return [
        (row.session.pk, "altered")
        if row.altered
        else (
            row.session.pk,
            row.line.number,
            row.line.candidate.official.full_name,
            row.line.candidate.position,
            [(lr.level, lr.count, str(lr.percent)) for lr in row.line.levels],
            row.line.band_code,
            str(row.line.band.consequence) if row.line.band else "",
            row.denominator,
        )
        for row in response.context["history"]
    ]


def _everything_published(cast, *, official_page: bool = True) -> dict[str, object]:
    """Every way the session's results go out, as bytes, text or cell values."""
    session = cast.session
    leader = Client()
    leader.force_login(cast.leader)
    anonymous = Client()
    out = io.StringIO()
    call_command("results", session.public_id, stdout=out)
    xlsx = leader.get(reverse("results:export", args=[session.pk, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    snapshot: dict[str, object] = {
        "results page": _html(leader.get(reverse("results:page", args=[session.pk]))),
        "public page": _html(
            anonymous.get(reverse("results:public_page", args=[session.public_id]))
        ),
        "api": anonymous.get(reverse("results:api", args=[session.public_id])).content,
        "csv": leader.get(reverse("results:export", args=[session.pk, "csv"])).content,
        "xlsx": [[cell.value for cell in row] for row in sheet.iter_rows()],
        "overview": _html(leader.get(reverse("results:overview"))),
        "command": out.getvalue(),
    }
    for candidate in session.candidates.order_by("order"):
        page = leader.get(reverse("results:official", args=[candidate.official_id]))
        snapshot[f"history {candidate.order}"] = _history(page)
        if official_page:
            snapshot[f"official page {candidate.order}"] = _html(page)
    return snapshot


def _admin_change_official(client, official: Official, **changes):
    data = {
        "organization": official.organization_id,
        "full_name": official.full_name,
        "positions": official.positions,
        "birth_year": official.birth_year or "",
        **changes,
    }
    return client.post(reverse("admin:votesessions_official_change", args=[official.pk]), data)


def _admin_form_data(response) -> dict[str, object]:
    """The admin change form's current values, inlines included, ready to post back."""
    data: dict[str, object] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for child in formset.forms:
            for name in child.fields:
                value = child[name].value()
                if value not in (None, False):
                    data[child.add_prefix(name)] = value
    return data


# --- The regression: a rename after certification --------------------------------------------


def test_renaming_a_certified_official_in_the_admin_is_refused_and_nothing_published_changes(
    client, published
):
    before = _everything_published(published)
    official = published.session.candidates.get(order=2).official
    client.force_login(published.superuser)
    response = _admin_change_official(client, official, full_name="Tên Đã Bị Đổi")
    assert response.status_code == 200  # the form again, with the refusal
    assert "Tên Đã Bị Đổi" in response.content.decode()  # what was typed, not saved
    assert response.context["adminform"].form.non_field_errors()
    official.refresh_from_db()
    assert official.full_name == "Ứng viên Số 2"
    after = _everything_published(published)
    assert after == before
    assert not RegistryEvent.objects.filter(object_id=official.pk, subject="official").exists()


def test_moving_a_certified_official_to_another_organization_is_refused(client, published):
    official = published.session.candidates.get(order=1).official
    client.force_login(published.superuser)
    response = _admin_change_official(client, official, organization=published.other_org.pk)
    assert response.status_code == 200
    official.refresh_from_db()
    assert official.organization_id == published.org.pk


def test_swapping_two_officials_names_after_certification_changes_nothing_published(published):
    before = _everything_published(published, official_page=False)
    first, second = (c.official for c in published.session.candidates.order_by("order")[:2])
    # Behind every service and the admin (a shell, a SQL console): the record must not follow.
    Official.objects.filter(pk=first.pk).update(full_name=second.full_name)
    Official.objects.filter(pk=second.pk).update(full_name=first.full_name)
    Official.objects.filter(pk=first.pk).update(positions="Đổi chức vụ")
    after = _everything_published(published, official_page=False)
    histories = [key for key in before if key.startswith("history")]
    assert {k: v for k, v in after.items() if k not in histories} == {
        k: v for k, v in before.items() if k not in histories
    }
    document = json.loads(after["api"])
    assert [c["name"] for c in document["candidates"]][:2] == ["Ứng viên Số 1", "Ứng viên Số 2"]
    # An official's page is headed by the live name: it no longer fits the record, so that
    # session's line is not shown under it (and the swap is logged), rather than shown under
    # the other person's name.
    assert after["history 1"] == [(published.session.pk, "altered")]
    assert after["history 2"] == [(published.session.pk, "altered")]
    assert after["history 3"] == before["history 3"]


def test_reordering_or_repointing_certified_lines_in_the_database_is_refused(client, published):
    """Swapping two lines' order, or pointing a line at another official, behind the
    application's back would hand one person's certified figures to another."""
    session = published.session
    first, second = session.candidates.order_by("order")[:2]
    client.force_login(published.leader)
    page = reverse("results:page", args=[session.pk])
    assert client.get(page).status_code == 200
    Candidate.objects.filter(pk=first.pk).update(order=99)
    Candidate.objects.filter(pk=second.pk).update(order=1)
    Candidate.objects.filter(pk=first.pk).update(order=2)
    assert client.get(page).status_code == 409
    history = client.get(reverse("results:official", args=[first.official_id]))
    assert history.status_code == 200 and history.context["history"][0].altered
    Candidate.objects.filter(pk=first.pk).update(order=99)
    Candidate.objects.filter(pk=second.pk).update(order=2)
    Candidate.objects.filter(pk=first.pk).update(order=1)
    assert client.get(page).status_code == 200
    stranger = Official.objects.create(
        organization=published.org, full_name="Người Ngoài", positions="Ủy viên"
    )
    Candidate.objects.filter(pk=first.pk).update(official=stranger)
    assert client.get(page).status_code == 409
    theirs = client.get(reverse("results:official", args=[stranger.pk]))
    assert [row.altered for row in theirs.context["history"]] == [True]  # no figures of another


def test_the_minutes_name_the_same_people_the_pages_do(client, published):
    certification = published.session.certification
    client.force_login(published.leader)
    page = client.get(reverse("results:page", args=[published.session.pk]))
    names = [line.candidate.official.full_name for line in page.context["result"].candidates]
    assert names == [c["name"] for c in certification.result["candidates"]]


# --- What is frozen ---------------------------------------------------------------------------


def test_certification_freezes_the_api_document_with_its_sha256(client, cast):
    session = _certify(cast, publish=False)
    certification = Certification.objects.get(session=session)
    canonical = json.dumps(
        certification.result, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    assert hashlib.sha256(canonical).hexdigest() == certification.result_sha256
    client.force_login(cast.leader)
    document = client.get(reverse("results:api", args=[session.public_id])).json()
    assert document["session"].pop("status") == "certified"
    frozen = dict(certification.result)
    links = frozen.pop("links")  # which live candidate and official each line belongs to
    assert document == frozen
    assert [link["candidate"] for link in links] == list(
        session.candidates.filter(excluded=False).order_by("order").values_list("pk", flat=True)
    )
    assert "status" not in certification.result["session"]
    event = AuditEvent.objects.get(session=session, action="results_certified")
    assert event.detail["result_sha256"] == certification.result_sha256


def test_the_served_status_is_the_sessions_live_one(client, published):
    api = reverse("results:api", args=[published.session.public_id])
    assert client.get(api).json()["session"]["status"] == "published"
    result_services.result_unpublish(actor=published.secretariat, session=published.session)
    client.force_login(published.leader)
    assert client.get(api).json()["session"]["status"] == "certified"


def test_the_frozen_document_is_vietnamese_whatever_the_certifiers_language(client, cast):
    codes = open_session(cast.session, cast.secretariat, codes=4, activate=4)
    candidates = list(cast.session.candidates.order_by("order"))
    for code in codes:
        services.ballot_cast(raw=code, choices={c.pk: "low" for c in candidates})
    services.session_close(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.committee)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("results:certify", args=[cast.session.pk]))
    certification = Certification.objects.get(session=cast.session)
    consequence = certification.result["candidates"][0]["consequence"]
    assert "miễn nhiệm" in consequence or "thẩm quyền" in consequence, consequence
    # An English page translates the certified text; the API keeps the record's words.
    page = client.get(reverse("results:page", args=[cast.session.pk])).content.decode()
    assert "Two thirds or more low confidence" in page
    assert "dismisses them from the post they hold" in page
    document = client.get(reverse("results:api", args=[cast.session.public_id])).json()
    assert document["candidates"][0]["consequence"] == consequence


# --- An altered record ------------------------------------------------------------------------


def _urls(session, official_id):
    return {
        "results page": reverse("results:page", args=[session.pk]),
        "csv": reverse("results:export", args=[session.pk, "csv"]),
        "xlsx": reverse("results:export", args=[session.pk, "xlsx"]),
        "public page": reverse("results:public_page", args=[session.public_id]),
        "api": reverse("results:api", args=[session.public_id]),
        "official": reverse("results:official", args=[official_id]),
        "overview": reverse("results:overview"),
    }


@pytest.mark.parametrize("alteration", ["count", "name", "fingerprint", "missing"])
def test_an_altered_frozen_result_is_refused_with_a_clear_page_and_a_log_line(
    client, published, caplog, alteration
):
    session = published.session
    certification = Certification.objects.get(session=session)
    document = certification.result
    if alteration == "count":
        document["candidates"][1]["counts"]["low"] -= 1
        Certification.objects.filter(pk=certification.pk).update(result=document)
    elif alteration == "name":
        document["candidates"][0]["name"] = "Người Khác"
        Certification.objects.filter(pk=certification.pk).update(result=document)
    elif alteration == "fingerprint":
        Certification.objects.filter(pk=certification.pk).update(result_sha256="0" * 64)
    else:
        Certification.objects.filter(pk=certification.pk).update(result={})
    client.force_login(published.leader)
    official_id = session.candidates.get(order=1).official_id
    for name, url in _urls(session, official_id).items():
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="results.frozen"):
            response = client.get(url)
        assert "Người Khác" not in response.content.decode()
        assert [r.levelname for r in caplog.records] == ["ERROR"], name
        if name in ("official", "overview"):
            # Pages over many sessions keep the others and flag this one, without figures.
            assert response.status_code == 200, name
            assert "không khớp với mã kiểm tra: không hiển thị" in response.content.decode()
            continue
        assert response.status_code == 409, name
        if name == "api":
            assert (
                "fingerprint" in response.json()["error"]
                or "mã kiểm tra" in response.json()["error"]
            )
        else:
            assert "Không thể hiển thị kết quả đã xác nhận" in response.content.decode(), name
        assert [r.levelname for r in caplog.records] == ["ERROR"], name
        assert f"session {session.pk} " in caplog.records[0].getMessage()
    with pytest.raises(CommandError):
        call_command("results", session.public_id, stdout=io.StringIO())


def test_an_altered_record_is_refused_to_anonymous_visitors_too(client, published):
    certification = published.session.certification
    Certification.objects.filter(pk=certification.pk).update(result_sha256="f" * 64)
    page = client.get(reverse("results:public_page", args=[published.session.public_id]))
    assert page.status_code == 409
    api = client.get(reverse("results:api", args=[published.session.public_id]))
    assert api.status_code == 409 and api["Content-Type"] == "application/json"


def test_a_rewritten_document_with_a_matching_fingerprint_must_still_fit_its_session(
    client, published
):
    """A document moved from another session (or edited with its SHA-256 recomputed) whose
    session details differ is refused too."""
    from results import documents

    certification = published.session.certification
    document = certification.result
    document["session"]["title"] = "Một hội nghị khác"
    Certification.objects.filter(pk=certification.pk).update(
        result=document, result_sha256=documents.sha256(documents.canonical_json(document))
    )
    client.force_login(published.leader)
    assert client.get(reverse("results:page", args=[published.session.pk])).status_code == 409


# --- Officials and organizations on a certified record ----------------------------------------


def test_services_refuse_to_rename_a_certified_official_or_organization(published):
    official = published.session.candidates.get(order=1).official
    official.full_name = "Đổi Qua Dịch Vụ"
    with pytest.raises(ValidationError) as excinfo:
        session_services.official_save(
            actor=published.superuser, official=official, fields=["full_name"]
        )
    assert excinfo.value.code == "on_record"
    org = Organization.objects.get(pk=published.org.pk)
    org.name = "Tên mới"
    with pytest.raises(ValidationError):
        session_services.organization_save(
            actor=published.superuser, organization=org, fields=["name"]
        )
    assert Official.objects.get(pk=official.pk).full_name == "Ứng viên Số 1"
    assert Organization.objects.get(pk=org.pk).name == published.org.name


def test_an_officials_current_posts_may_change_and_the_change_is_recorded(client, published):
    official = published.session.candidates.get(order=1).official
    before = _everything_published(published, official_page=False)
    client.force_login(published.superuser)
    response = _admin_change_official(client, official, positions="Chủ tịch Hội")
    assert response.status_code == 302
    event = RegistryEvent.objects.get(subject="official", object_id=official.pk)
    assert (event.action, event.actor) == ("changed", published.superuser)
    assert event.before == {"positions": "Phó Chủ tịch 1"}
    assert event.after == {"positions": "Chủ tịch Hội"}
    assert _everything_published(published, official_page=False) == before


def test_an_official_not_yet_on_a_certified_record_can_be_renamed_and_it_is_recorded(client, cast):
    official = cast.session.candidates.get(order=1).official  # a draft session
    client.force_login(cast.superuser)
    response = _admin_change_official(client, official, full_name="Sửa Lỗi Chính Tả")
    assert response.status_code == 302
    event = RegistryEvent.objects.get(subject="official", object_id=official.pk)
    assert event.before == {"full_name": "Ứng viên Số 1"}
    assert event.after == {"full_name": "Sửa Lỗi Chính Tả"}


def test_adding_and_deleting_an_official_in_the_admin_is_recorded(client, cast):
    client.force_login(cast.superuser)
    response = client.post(
        reverse("admin:votesessions_official_add"),
        {"organization": cast.org.pk, "full_name": "Người Mới", "positions": "Ủy viên"},
    )
    assert response.status_code == 302
    official = Official.objects.get(full_name="Người Mới")
    client.post(reverse("admin:votesessions_official_delete", args=[official.pk]), {"post": "yes"})
    assert not Official.objects.filter(pk=official.pk).exists()
    events = RegistryEvent.objects.filter(subject="official", object_id=official.pk)
    assert sorted(events.values_list("action", flat=True)) == ["added", "deleted"]
    deleted = events.get(action="deleted")
    assert deleted.before["full_name"] == "Người Mới" and deleted.actor == cast.superuser


def test_renaming_an_organization_with_certified_sessions_is_refused_in_the_admin(
    client, published
):
    client.force_login(published.superuser)
    url = reverse("admin:votesessions_organization_change", args=[published.org.pk])
    before = _everything_published(published, official_page=False)
    for field, value in [("name", "Hội Đổi Tên"), ("document_name", "HỘI KHÁC / TÊN KHÁC")]:
        data = _admin_form_data(client.get(url))
        data[field] = value
        response = client.post(url, data)
        assert response.status_code == 200, field
        assert response.context["adminform"].form.non_field_errors(), field
    org = Organization.objects.get(pk=published.org.pk)
    assert (org.name, org.document_name) == (published.org.name, published.org.document_name)
    assert _everything_published(published, official_page=False) == before


def test_every_admin_change_of_an_organization_is_recorded_memberships_too(client, cast):
    client.force_login(cast.superuser)
    url = reverse("admin:votesessions_organization_change", args=[cast.other_org.pk])
    data = _admin_form_data(client.get(url))
    data["name"] = "Hội Nông dân tỉnh (đổi tên)"
    data["memberships-0-role"] = "leader"
    response = client.post(url, data)
    assert response.status_code == 302
    events = list(RegistryEvent.objects.filter(subject="organization", object_id=cast.other_org.pk))
    assert {e.action for e in events} == {"changed"}
    fields = next(e for e in events if e.before)
    assert fields.before == {"name": "Hội Nông dân tỉnh"}
    assert fields.after == {"name": "Hội Nông dân tỉnh (đổi tên)"}
    assert any("thuky_khac" in e.note for e in events)


def test_the_registry_cannot_be_edited_or_deleted_in_the_admin(client, cast):
    client.force_login(cast.superuser)
    _admin_change_official(client, cast.session.candidates.first().official, positions="Khác")
    event = RegistryEvent.objects.get()
    assert client.get(reverse("admin:votesessions_registryevent_add")).status_code == 403
    client.post(
        reverse("admin:votesessions_registryevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert RegistryEvent.objects.filter(pk=event.pk).exists()
    page = client.get(reverse("admin:votesessions_registryevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="note"' not in page.content.decode()


# --- Existing certifications ------------------------------------------------------------------


def test_the_demo_data_is_certified_with_a_frozen_result(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    certification = Certification.objects.get()
    assert certification.result["candidates"][2]["name"] == "Lê Văn C"
    assert certification.result_sha256
    session = certification.session
    response = client.get(reverse("results:api", args=[session.public_id]))
    assert response.status_code == 200
    assert response.json()["candidates"][2]["band"] == "over_half"


def test_support_staff_see_the_results_fingerprint_in_the_admin(client, published):
    certification = published.session.certification
    client.force_login(published.superuser)
    page = client.get(reverse("admin:results_certification_change", args=[certification.pk]))
    assert page.status_code == 200
    assert certification.result_sha256 in page.content.decode()


def test_no_minutes_are_drawn_up_for_a_session_still_open(cast):
    from results.frozen import session_minutes
    from tests.factories import open_session

    open_session(cast.session, cast.secretariat, codes=3, activate=1)
    cast.session.refresh_from_db()
    with pytest.raises(ValueError, match="not counted"):
        session_minutes(cast.session)
