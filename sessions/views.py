"""The secretariat's pages: parse input with a form, call one service, render or redirect."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import integrity, selectors, services
from .access import (
    Need,
    can,
    get_session_for_user,
    organizations_for,
    sessions_for,
)
from .forms import (
    CountedSessionForm,
    SessionForm,
)
from .models import VotingSession

Status = VotingSession.Status
IMPORT_KEY = "voter-import-{pk}"


def errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def tab_context(request: HttpRequest, session: VotingSession, tab: str) -> dict[str, Any]:
    can_prepare = can(request.user, session, Need.PREPARE)
    return {
        "session": session,
        "tab": tab,
        "can_prepare": can_prepare,
        "editable": session.is_draft and can_prepare,
        # The list this tab shows: the committee, elected on the day, changes until certified.
        "list_editable": can_prepare
        and (not session.is_certified if tab == "committee" else session.is_draft),
        # A counted session's details (subject, place, time) are corrected until certified.
        "details_editable": session.is_closed and can_prepare,
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    sessions = selectors.session_list(sessions_for(request.user))
    by_status: dict[str, list[VotingSession]] = defaultdict(list)
    for session in sessions:
        by_status[session.status].append(session)
    groups = [(value, label, by_status[value]) for value, label in Status.choices]
    return render(
        request,
        "votesessions/dashboard.html",
        {
            "groups": groups,
            "total": len(sessions),
            "can_create": organizations_for(request.user, Need.PREPARE).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for(request.user, Need.PREPARE)
    if not organizations.exists():
        messages.error(request, _("Only the secretariat of an organization can create sessions."))
        return redirect("votesessions:dashboard")
    form = SessionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        try:
            session = services.session_create(actor=request.user, organization=organization, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session created. Now add the people to be rated."))
            return redirect("votesessions:candidates", pk=session.pk)
    return render(request, "votesessions/session_form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's details, or a counted session's subject, time and place until certified."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    if not (session.is_draft or session.is_closed):
        messages.error(request, _(services.MSG_NOT_EDITABLE))
        return redirect("votesessions:detail", pk=pk)
    form_class = SessionForm if session.is_draft else CountedSessionForm
    form = form_class(
        request.POST or None,
        instance=session,
        organizations=organizations_for(request.user, Need.PREPARE),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("votesessions:detail", pk=pk)
    return render(request, "votesessions/session_form.html", {"form": form, "session": session})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    context = tab_context(request, session, "overview")
    context.update(
        checks=selectors.readiness_checks(session),
        candidates=selectors.session_candidates(session),
        committee=selectors.session_committee(session),
        voter_count=session.voters.count(),
        present_count=session.voters.filter(present=True).count(),
        events=selectors.session_audit(session)[:10],
    )
    context["blocked"] = any(not check.ok for check in context["checks"])
    return render(request, "votesessions/session_detail.html", context)


def _audit_context(request: HttpRequest, session: VotingSession) -> dict[str, Any]:
    context = tab_context(request, session, "audit")
    context["events"] = selectors.session_audit(session)
    context["head"] = selectors.audit_head(session)
    context["printed_heads"] = selectors.audit_printed_heads(session)
    context["can_check"] = can(request.user, session, Need.RUN)
    return context


def session_audit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    return render(request, "votesessions/session_audit.html", _audit_context(request, session))


@require_POST
def session_audit_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify the session's chain (and what other apps register) and show the outcome.

    A POST because it reads and recomputes the whole trail; it records nothing, so checking
    never moves the head printed in the minutes.
    """
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    context = _audit_context(request, session)
    context["check"] = selectors.audit_chain_check(session)
    context["problems"] = integrity.session_problems(session)
    return render(request, "votesessions/session_audit.html", context)


@require_POST
def session_ready(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        changed = services.session_mark_ready(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        if changed:
            messages.success(
                request,
                _("The session is ready: the lists are frozen (voter list fingerprint %(sha)s…).")
                % {"sha": session.voter_list_sha256[:16]},
            )
        else:
            messages.info(request, _("The session was already ready."))
    return redirect("votesessions:detail", pk=pk)


@require_POST
def session_draft(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        changed = services.session_back_to_draft(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        if changed:
            messages.warning(
                request,
                _("The session is a draft again; printed voter codes and ballots are void."),
            )
        else:
            messages.info(request, _("The session was already a draft."))
    return redirect("votesessions:detail", pk=pk)
