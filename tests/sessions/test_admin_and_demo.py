"""Support staff's admin, and the demo data a new user signs in with."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from sessions import services
from sessions.models import AuditEvent, Membership, Official, Organization, VotingSession


def test_an_admin_change_to_a_draft_list_is_audited(client, cast):
    client.force_login(cast.superuser)
    voter = cast.session.voters.first()
    response = client.post(
        reverse("admin:votesessions_voter_change", args=[voter.pk]),
        {
            "session": cast.session.pk,
            "number": voter.number,
            "full_name": "Sửa Qua Admin",
            "unit": voter.unit,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(session=cast.session).last()
    assert (event.action, event.actor) == ("admin_changed", cast.superuser)


def test_a_frozen_session_is_read_only_in_the_admin(client, cast):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.superuser)
    voter = cast.session.voters.first()
    client.post(
        reverse("admin:votesessions_voter_change", args=[voter.pk]),
        {"session": cast.session.pk, "number": voter.number, "full_name": "Lén sửa", "unit": ""},
    )
    voter.refresh_from_db()
    assert voter.full_name != "Lén sửa"
    page = client.get(reverse("admin:votesessions_votingsession_change", args=[cast.session.pk]))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()


def test_the_audit_trail_cannot_be_edited_or_deleted_in_the_admin(client, cast):
    client.force_login(cast.superuser)
    event = AuditEvent.objects.filter(session=cast.session).first()
    client.post(reverse("admin:votesessions_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert client.get(reverse("admin:votesessions_auditevent_add")).status_code == 403


def test_seed_demo_is_idempotent_and_its_printed_passwords_work(client, db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (
        Organization.objects.count(),
        VotingSession.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    call_command("verify_audit", stdout=io.StringIO())  # its chains and frozen documents verify
    assert counts == (
        Organization.objects.count(),
        VotingSession.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    printed = out.getvalue()
    for line in printed.splitlines():
        if " / " in line:
            username, password = line.split()[0], line.split()[2]
            response = client.post(reverse("login"), {"username": username, "password": password})
            assert response.status_code == 302, line  # a wrong password re-renders the form
            client.logout()
    veterans = VotingSession.objects.get(organization__name="Hội Cựu chiến binh tỉnh Mẫu")
    assert veterans.voters.count() == 40
    assert veterans.candidates.filter(excluded=False).count() == 3
    # The demo session is one click away from "ready".
    services.session_mark_ready(
        actor=Membership.objects.get(role="secretariat", organization=veterans.organization).user,
        session=veterans,
    )


def test_the_demo_leader_sees_both_bodies_below_the_province(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    client.post(reverse("login"), {"username": "lanhdao", "password": "tinnhiem-demo"})
    page = client.get(reverse("votesessions:dashboard")).content.decode()
    assert "Hội Cựu chiến binh tỉnh Mẫu" in page
    assert "Hội đồng nhân dân tỉnh Mẫu" in page


def test_the_admin_adds_voters_only_to_draft_sessions(client, cast):
    services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.superuser)
    response = client.post(
        reverse("admin:votesessions_voter_add"),
        {"session": cast.session.pk, "number": 77, "full_name": "Lén thêm", "unit": ""},
    )
    assert response.status_code == 200  # the form refuses the frozen session
    assert not cast.session.voters.filter(full_name="Lén thêm").exists()


def test_every_admin_page_of_ours_opens(client, cast):
    from django.contrib import admin

    client.force_login(cast.superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        if model._meta.app_label != "votesessions":
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name


@pytest.mark.django_db(transaction=True)
def test_the_admins_bulk_delete_is_audited_outside_a_test_transaction(client, cast_tx):
    """Real commits: the admin's actions run outside a transaction (a row lock needs one)."""
    client.force_login(cast_tx.superuser)
    voters = list(cast_tx.session.voters.values_list("pk", flat=True)[:2])
    response = client.post(
        reverse("admin:votesessions_voter_changelist"),
        {"action": "delete_selected", "_selected_action": voters, "post": "yes"},
    )
    assert response.status_code == 302
    assert not cast_tx.session.voters.filter(pk__in=voters).exists()
    assert AuditEvent.objects.filter(session=cast_tx.session, action="admin_deleted").count() == 2


REAL_PROVINCES = ["Bắc Kạn", "Hà Nội", "Hồ Chí Minh", "Thái Nguyên", "Cao Bằng", "Lạng Sơn"]


def test_the_demo_data_names_no_real_province_and_says_it_is_sample_data_on_the_public_page(
    client, db
):
    from results.models import Certification

    call_command("seed_demo", stdout=io.StringIO())
    texts = [
        *Organization.objects.values_list("name", "document_name", "locality"),
        *Official.objects.values_list("full_name"),
        *VotingSession.objects.values_list("title", "place", "subject"),
    ]
    found = [t for row in texts for t in row for p in REAL_PROVINCES if p.lower() in t.lower()]
    assert found == []
    published = Certification.objects.get().session
    page = client.get(reverse("results:public_page", args=[published.public_id]))
    assert page.status_code == 200
    assert "dữ liệu mẫu" in page.content.decode()
    assert "tỉnh Mẫu" in client.get(reverse("results:public_list")).content.decode()


def test_the_demo_keeps_one_official_per_person_with_every_year_on_it(db):
    """Issue 13: the demo showed three people twice in the officials dropdown; the 2023
    import now continues the people of the 2026 list."""
    from collections import Counter

    from sessions.models import Candidate, Official

    call_command("seed_demo", stdout=io.StringIO())
    names = Counter((o.organization_id, o.full_name) for o in Official.objects.all())
    assert [key for key, n in names.items() if n > 1] == []
    chairman = Official.objects.get(full_name="Nguyễn Văn A")
    years = sorted(
        Candidate.objects.filter(official=chairman).values_list("session__date__year", flat=True)
    )
    assert years == [2023, 2026]
