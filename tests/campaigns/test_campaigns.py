"""A campaign across bodies: who may see and do what, each body's progress, creating and
attaching a body's session, and the refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignBody, CampaignEvent, CampaignSession
from campaigns.selectors import Progress, progress_of
from sessions.models import AuditEvent, VotingSession

from .conftest import YEAR, import_tally

Status = VotingSession.Status


def _launch_data(world, **extra):
    data = {
        "organization": world.province.pk,
        "title": "Lấy phiếu tín nhiệm năm 2026",
        "year": YEAR,
        "regime": "qd96",
        "procedure": "rating",
        "deadline": f"{YEAR}-12-20",
        "bodies": [world.a.pk, world.b.pk],
    }
    data.update(extra)
    return data


# --- Who may see and do what --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "report", "manage"),
    [
        ("admin", 200, True, True),
        ("secretariat", 200, True, True),
        ("leader", 200, True, False),
        ("secretariat_a", 200, False, False),  # a body taking part: its own row, no figures
        ("leader_a", 404, False, False),  # a leader below the launching body
        ("committee_a", 404, False, False),
        ("other_secretariat", 404, False, False),  # a sibling province, outside
        ("outsider", 404, False, False),
    ],
)
def test_the_access_matrix_of_a_campaigns_pages(client, world, who, page, report, manage):
    client.force_login(getattr(world, who))
    pk = world.campaign.pk
    assert client.get(reverse("campaigns:detail", args=[pk])).status_code == page
    expected_report = 200 if report else 404
    assert client.get(reverse("campaigns:report_xlsx", args=[pk])).status_code == expected_report
    assert client.get(reverse("campaigns:report_pdf", args=[pk])).status_code == expected_report
    assert client.get(reverse("campaigns:edit", args=[pk])).status_code == (200 if manage else 404)
    if page == 200:
        response = client.get(reverse("campaigns:detail", args=[pk]))
        assert (response.context["report"] is not None) == report


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("campaigns:detail", args=[world.campaign.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_campaign_is_the_same_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("campaigns:detail", args=[999999])).status_code == 404


def test_the_launching_bodys_administrator_launches_a_campaign_in_the_browser_form(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("campaigns:create"), _launch_data(world))
    campaign = Campaign.objects.exclude(pk=world.campaign.pk).get()
    assert response.status_code == 302
    assert set(campaign.bodies.values_list("organization_id", flat=True)) == {
        world.a.pk,
        world.b.pk,
    }
    assert CampaignEvent.objects.filter(campaign=campaign, action="launched").exists()


def test_a_forged_body_outside_the_subtree_is_a_form_error_and_changes_nothing(client, world):
    client.force_login(world.admin)
    count = Campaign.objects.count()
    response = client.post(
        reverse("campaigns:create"), _launch_data(world, bodies=[world.a.pk, world.other.pk])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bodies"]
    assert Campaign.objects.count() == count


def test_the_service_refuses_a_body_outside_the_launching_bodys_subtree(world):
    with pytest.raises(ValidationError) as caught:
        services.campaign_launch(
            actor=world.admin,
            organization=world.a,
            bodies=[world.b],
            title="X",
            year=YEAR,
            regime="qd96",
            procedure="rating",
            deadline=datetime.date(YEAR, 12, 1),
        )
    assert caught.value.code == "outside_subtree"


def test_a_body_taking_part_cannot_launch_for_its_parent(client, world):
    client.force_login(world.secretariat_a)
    response = client.post(
        reverse("campaigns:create"), _launch_data(world, organization=world.province.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]


def test_the_account_with_no_body_to_launch_for_gets_a_404_on_the_launch_page(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("campaigns:create")).status_code == 404
    assert client.get(reverse("campaigns:list")).status_code == 404


# --- Progress -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, Progress.PREPARING),
        (Status.READY, Progress.PREPARING),
        (Status.OPEN, Progress.VOTING),
        (Status.CLOSED, Progress.COUNTED),
        (Status.CERTIFIED, Progress.CERTIFIED),
        (Status.PUBLISHED, Progress.PUBLISHED),
    ],
)
def test_progress_follows_the_sessions_life_cycle(status, expected):
    session = VotingSession(status=status)
    assert progress_of(session) == expected


def test_a_body_without_a_session_has_not_started():
    assert progress_of(None) == Progress.NOT_STARTED


# --- A body's session ---------------------------------------------------------------------------


def test_a_body_taking_part_creates_its_session_from_the_campaign(client, world):
    client.force_login(world.secretariat_c)
    url = reverse("campaigns:session_create", args=[world.campaign.pk, world.c.pk])
    response = client.post(url)
    link = CampaignSession.objects.get(campaign=world.campaign, organization=world.c)
    session = link.session
    assert response.status_code == 302
    assert response["Location"] == reverse("votesessions:detail", args=[session.pk])
    assert session.is_draft and session.organization == world.c
    assert (session.regime, session.procedure, session.date.year) == ("qd96", "rating", YEAR)
    actions = list(AuditEvent.objects.filter(session=session).values_list("action", flat=True))
    assert actions == ["session_created", "campaign_linked"]
    # A second click creates nothing more.
    client.post(url)
    assert VotingSession.objects.filter(organization=world.c).count() == 1
    # The session's campaign tab leads back to the campaign.
    page = client.get(reverse("votesessions:detail", args=[session.pk]))
    assert reverse("campaigns:for_session", args=[session.pk]) in page.content.decode()
    assert client.get(reverse("campaigns:for_session", args=[session.pk]))["Location"] == (
        reverse("campaigns:detail", args=[world.campaign.pk])
    )


def test_the_dashboard_of_a_body_taking_part_shows_the_campaign_and_its_button(client, world):
    client.force_login(world.secretariat_c)
    page = client.get(reverse("votesessions:dashboard")).content.decode()
    assert world.campaign.title in page
    assert reverse("campaigns:session_create", args=[world.campaign.pk, world.c.pk]) in page


def test_another_bodys_secretariat_cannot_create_a_session_for_it(client, world):
    client.force_login(world.secretariat_a)
    url = reverse("campaigns:session_create", args=[world.campaign.pk, world.c.pk])
    assert client.post(url).status_code == 404
    assert not VotingSession.objects.filter(organization=world.c).exists()


def test_an_imported_tally_is_attached_by_its_bodys_secretariat(client, world):
    session = import_tally(world)
    client.force_login(world.secretariat_b)
    detail = client.get(reverse("campaigns:detail", args=[world.campaign.pk]))
    assert session.title in detail.content.decode()  # offered to attach
    url = reverse("campaigns:session_attach", args=[world.campaign.pk, world.b.pk])
    assert client.post(url, {"session": session.pk}).status_code == 302
    assert CampaignSession.objects.get(session=session).campaign == world.campaign
    assert AuditEvent.objects.filter(session=session, action="campaign_linked").exists()


@pytest.mark.parametrize(
    ("date", "regime", "code"),
    [
        (datetime.date(YEAR - 1, 11, 5), "qd96", "wrong_year"),
        (datetime.date(YEAR, 11, 5), "nq96", "wrong_rules"),
    ],
)
def test_attaching_a_session_of_another_year_or_legal_basis_is_refused(world, date, regime, code):
    session = import_tally(world, date=date, regime=regime)
    with pytest.raises(ValidationError) as caught:
        services.campaign_session_attach(
            actor=world.secretariat_b,
            campaign=world.campaign,
            organization=world.b,
            session=session,
        )
    assert caught.value.code == code
    assert not CampaignSession.objects.exists()


def test_attaching_another_bodys_session_is_refused_with_a_message(client, world):
    session = import_tally(world)  # of B
    # B's secretariat names its own session for body... B is fine; C's secretariat cannot name it.
    client.force_login(world.secretariat_c)
    url = reverse("campaigns:session_attach", args=[world.campaign.pk, world.c.pk])
    response = client.post(url, {"session": session.pk}, follow=True)
    assert response.status_code == 200
    assert not CampaignSession.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.campaign_session_attach(
            actor=world.secretariat_b,
            campaign=world.campaign,
            organization=world.c,
            session=session,
        )
    assert caught.value.code == "wrong_body"


def test_a_body_not_taking_part_cannot_attach_or_create(world):
    CampaignBody.objects.filter(campaign=world.campaign, organization=world.c).delete()
    with pytest.raises(ValidationError) as caught:
        services.campaign_session_create(
            actor=world.secretariat_c, campaign=world.campaign, organization=world.c
        )
    assert caught.value.code == "not_taking_part"


def test_once_a_body_has_its_session_the_rules_and_that_body_stay(world):
    services.campaign_session_create(
        actor=world.secretariat_a, campaign=world.campaign, organization=world.a
    )
    fields = {
        "title": world.campaign.title,
        "year": YEAR,
        "regime": "qd96",
        "procedure": "rating",
        "deadline": world.campaign.deadline,
    }
    with pytest.raises(ValidationError) as caught:
        services.campaign_update(
            actor=world.admin, campaign=world.campaign, bodies=[world.b], **fields
        )
    assert caught.value.code == "body_has_session"
    with pytest.raises(ValidationError) as caught:
        services.campaign_update(
            actor=world.admin,
            campaign=world.campaign,
            bodies=[world.a, world.b],
            **{**fields, "regime": "nq96"},
        )
    assert caught.value.code == "rules_locked"
    changed = services.campaign_update(
        actor=world.admin,
        campaign=world.campaign,
        bodies=[world.a, world.b],
        **{**fields, "deadline": datetime.date(YEAR, 12, 28)},
    )
    assert changed.deadline == datetime.date(YEAR, 12, 28)
    assert not CampaignBody.objects.filter(campaign=world.campaign, organization=world.c).exists()
