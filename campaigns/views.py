"""The campaign pages: the list, launching and changing, the page with each body's progress and
the consolidated report, its XLSX and PDF, and a body's session created or attached."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.access import Need, get_session_for_user, organization_ids_for, sessions_for
from sessions.models import Organization, VotingSession

from . import documents, selectors, services
from .access import (
    get_campaign_for_user,
    launch_organizations,
    may_launch,
    visible_campaigns,
)
from .forms import AttachForm, CampaignForm
from .models import Campaign, CampaignSession
from .report import campaign_report


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    found = visible_campaigns(request.user)
    if not found and not may_launch(request.user):
        raise Http404
    return render(
        request,
        "campaigns/list.html",
        {"campaigns": found, "may_launch": may_launch(request.user)},
    )


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    launchers = launch_organizations(request.user).order_by("name")
    if not launchers.exists():
        raise Http404
    form = CampaignForm(request.POST or None, launchers=launchers, submit_label=_("Launch"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            campaign = services.campaign_launch(
                actor=request.user,
                organization=data.pop("organization"),
                bodies=data.pop("bodies"),
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign launched."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


def _managed(request: HttpRequest, pk: int) -> Campaign:
    campaign, access = get_campaign_for_user(request.user, pk)
    if not access.manage:
        raise Http404
    return campaign


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed(request, pk)
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        launchers=launch_organizations(request.user),
        submit_label=_("Save"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.campaign_update(
                actor=request.user, campaign=campaign, bodies=data.pop("bodies"), **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, access = get_campaign_for_user(request.user, pk)
    rows = selectors.body_rows(campaign)
    attach_forms = {
        row.organization.pk: AttachForm(
            sessions=selectors.attachable_sessions(campaign, row.organization)
        )
        for row in rows
        if row.session is None and row.organization.pk in access.own_bodies
    }
    # A link to a body's session only for those who may read it (sessions.access).
    reads = organization_ids_for(request.user, Need.READ)
    context = {
        "campaign": campaign,
        "access": access,
        "rows": [
            (
                row,
                attach_forms.get(row.organization.pk),
                reads is None or row.organization.pk in reads,
            )
            for row in rows
        ],
        "report": campaign_report(campaign) if access.report else None,
        "events": campaign.events.select_related("actor")[:10] if access.manage else [],
    }
    return render(request, "campaigns/detail.html", context)


def _reported(request: HttpRequest, pk: int) -> Campaign:
    campaign, access = get_campaign_for_user(request.user, pk)
    if not access.report:
        raise Http404
    return campaign


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _reported(request, pk)
    response = HttpResponse(
        documents.report_xlsx(campaign_report(campaign)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dot-{campaign.pk}.xlsx"'
    return response


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _reported(request, pk)
    response = HttpResponse(
        documents.report_pdf(campaign_report(campaign)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bao-cao-dot-{campaign.pk}.pdf"'
    return response


def _own_body(request: HttpRequest, pk: int, body_pk: int) -> tuple[Campaign, Organization]:
    """The campaign and one of the user's bodies taking part (its secretariat); else 404."""
    campaign, access = get_campaign_for_user(request.user, pk)
    if body_pk not in access.own_bodies:
        raise Http404
    return campaign, get_object_or_404(Organization, pk=body_pk)


def _refused(request: HttpRequest, campaign: Campaign, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
def session_create(request: HttpRequest, pk: int, body_pk: int) -> HttpResponse:
    """ "Create our session for this campaign": a draft of the body, regime and year preset."""
    campaign, body = _own_body(request, pk, body_pk)
    try:
        session = services.campaign_session_create(
            actor=request.user, campaign=campaign, organization=body
        )
    except ValidationError as exc:
        return _refused(request, campaign, exc)
    messages.success(request, _("Session created for the campaign. Check its details."))
    return redirect("votesessions:detail", pk=session.pk)


@require_POST
def session_attach(request: HttpRequest, pk: int, body_pk: int) -> HttpResponse:
    """Attach an existing session of the body (an imported tally, say) to the campaign."""
    campaign, body = _own_body(request, pk, body_pk)
    # Any session the user prepares may be named; the service refuses another body's, year's
    # or legal basis's with its message.
    form = AttachForm(request.POST, sessions=_prepared_sessions(request))
    if not form.is_valid():
        messages.error(request, _("Choose one of the body's sessions."))
        return redirect("campaigns:detail", pk=campaign.pk)
    try:
        services.campaign_session_attach(
            actor=request.user,
            campaign=campaign,
            organization=body,
            session=form.cleaned_data["session"],
        )
    except ValidationError as exc:
        return _refused(request, campaign, exc)
    messages.success(request, _("Session attached to the campaign."))
    return redirect("campaigns:detail", pk=campaign.pk)


def _prepared_sessions(request: HttpRequest) -> QuerySet[VotingSession]:
    return sessions_for(request.user, Need.PREPARE)


@require_GET
def for_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's campaign (the session's tab): the campaign page, if the user may see it."""
    session = get_session_for_user(request.user, pk)
    link = CampaignSession.objects.filter(session=session).first()
    if link is None:
        raise Http404
    get_campaign_for_user(request.user, link.campaign_id)
    return redirect("campaigns:detail", pk=link.campaign_id)
