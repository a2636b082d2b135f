"""The secretariat's pages: parse input with a form, call one service, render or redirect."""

from __future__ import annotations

import secrets
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import integrity, selectors, services
from .access import (
    Need,
    can,
    get_candidate_for_user,
    get_committee_member_for_user,
    get_session_for_user,
    get_voter_for_user,
    organizations_for,
    sessions_for,
)
from .forms import (
    CandidateAddForm,
    CandidateForm,
    CommitteeMemberForm,
    SessionForm,
    VoterForm,
    VoterImportForm,
)
from .imports import VoterRow, parse_voter_file
from .models import VotingSession

Status = VotingSession.Status
IMPORT_KEY = "voter-import-{pk}"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _tab_context(request: HttpRequest, session: VotingSession, tab: str) -> dict[str, Any]:
    return {
        "session": session,
        "tab": tab,
        "can_prepare": can(request.user, session, Need.PREPARE),
        "editable": session.status == Status.DRAFT and can(request.user, session, Need.PREPARE),
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
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    if session.status != Status.DRAFT:
        messages.error(request, _("Only a draft session can be edited."))
        return redirect("votesessions:detail", pk=pk)
    form = SessionForm(
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
    context = _tab_context(request, session, "overview")
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
    context = _tab_context(request, session, "audit")
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
        messages.error(request, _errors(exc))
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
        messages.error(request, _errors(exc))
    else:
        if changed:
            messages.warning(
                request,
                _("The session is a draft again; printed voter codes and ballots are void."),
            )
    return redirect("votesessions:detail", pk=pk)


# --- Candidates -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    context = _tab_context(request, session, "candidates")
    form = None
    if context["editable"]:
        form = CandidateAddForm(request.POST or None, session=session)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                candidate = services.candidate_add(
                    actor=request.user,
                    session=session,
                    official=data["official"],
                    full_name=data["full_name"],
                    positions=data["positions"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s added to the list.") % {"name": candidate.official.full_name},
                )
                return redirect("votesessions:candidates", pk=pk)
    elif request.method == "POST":
        get_session_for_user(request.user, pk, need=Need.PREPARE)
        messages.error(request, _(services.MSG_NOT_DRAFT))
        return redirect("votesessions:candidates", pk=pk)
    context.update(form=form, candidates=selectors.session_candidates(session))
    return render(request, "votesessions/candidates.html", context)


@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    initial = {
        "position": candidate.position,
        "excluded": candidate.excluded,
        "exclusion_reason": candidate.exclusion_reason,
        "exclusion_note": candidate.exclusion_note,
    }
    form = CandidateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(actor=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("votesessions:candidates", pk=pk)
    context = _tab_context(request, candidate.session, "candidates")
    context.update(form=form, candidate=candidate)
    return render(request, "votesessions/candidate_form.html", context)


@require_POST
def candidate_move(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    try:
        services.candidate_move(
            actor=request.user, candidate=candidate, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(reverse("votesessions:candidates", args=[pk]) + f"#c{candidate.pk}")


@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    try:
        services.candidate_remove(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("%(name)s removed from the list.") % {"name": candidate.official.full_name}
        )
    return redirect("votesessions:candidates", pk=pk)


# --- Summoned voters --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_voters(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    context = _tab_context(request, session, "voters")
    form = None
    if context["editable"]:
        form = VoterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.voter_add(actor=request.user, session=session, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("%(name)s added.") % {"name": form.cleaned_data["full_name"]}
                )
                return redirect("votesessions:voters", pk=pk)
    elif request.method == "POST":
        get_session_for_user(request.user, pk, need=Need.PREPARE)
        messages.error(request, _(services.MSG_NOT_DRAFT))
        return redirect("votesessions:voters", pk=pk)
    query = request.GET.get("q", "").strip()
    total = session.voters.count()
    voters = selectors.voters_matching(session, query)
    context.update(form=form, voters=list(voters), query=query, total=total)
    return render(request, "votesessions/voters.html", context)


@require_http_methods(["GET", "POST"])
def voter_edit(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    voter = get_voter_for_user(request.user, pk, voter_pk)
    form = VoterForm(
        request.POST or None, initial={"full_name": voter.full_name, "unit": voter.unit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.voter_update(actor=request.user, voter=voter, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("votesessions:voters", pk=pk)
    context = _tab_context(request, voter.session, "voters")
    context.update(form=form, voter=voter)
    return render(request, "votesessions/voter_form.html", context)


@require_POST
def voter_remove(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    voter = get_voter_for_user(request.user, pk, voter_pk)
    try:
        services.voter_remove(actor=request.user, voter=voter)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(name)s removed.") % {"name": voter.full_name})
    return redirect("votesessions:voters", pk=pk)


@require_http_methods(["GET", "POST"])
def voters_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload and check a file. Nothing is imported until the preview is confirmed."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    context = _tab_context(request, session, "voters")
    if session.status != Status.DRAFT:
        messages.error(request, _(services.MSG_NOT_DRAFT))
        return redirect("votesessions:voters", pk=pk)
    form = VoterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_voter_file(upload.name, upload.read())
        if result.ok:
            token = secrets.token_urlsafe(12)
            request.session[IMPORT_KEY.format(pk=pk)] = {
                "token": token,
                "filename": upload.name,
                "replace": form.cleaned_data["replace"],
                "rows": [[r.line, r.full_name, r.unit] for r in result.rows],
            }
            context.update(
                rows=result.rows,
                token=token,
                filename=upload.name,
                replace=form.cleaned_data["replace"],
                current=session.voters.count(),
            )
            return render(request, "votesessions/voters_import_preview.html", context)
    context.update(form=form, result=result)
    return render(request, "votesessions/voters_import.html", context)


@require_POST
def voters_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: import exactly the rows that were previewed."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    pending = request.session.get(IMPORT_KEY.format(pk=pk))
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(
            request, _("This preview has expired or was already imported. Upload the file again.")
        )
        return redirect("votesessions:voters_import", pk=pk)
    rows = [VoterRow(line=line, full_name=name, unit=unit) for line, name, unit in pending["rows"]]
    try:
        count = services.voters_import(
            actor=request.user,
            session=session,
            rows=rows,
            replace=pending["replace"],
            filename=pending["filename"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("votesessions:voters_import", pk=pk)
    del request.session[IMPORT_KEY.format(pk=pk)]
    messages.success(request, _("%(count)d voters imported.") % {"count": count})
    return redirect("votesessions:voters", pk=pk)


# --- Counting committee -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_committee(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    context = _tab_context(request, session, "committee")
    form = None
    if context["editable"]:
        form = CommitteeMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.committee_member_add(
                    actor=request.user, session=session, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("%(name)s added.") % {"name": form.cleaned_data["full_name"]}
                )
                return redirect("votesessions:committee", pk=pk)
    elif request.method == "POST":
        get_session_for_user(request.user, pk, need=Need.PREPARE)
        messages.error(request, _(services.MSG_NOT_DRAFT))
        return redirect("votesessions:committee", pk=pk)
    context.update(form=form, committee=selectors.session_committee(session))
    return render(request, "votesessions/committee.html", context)


@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_user(request.user, pk, member_pk)
    form = CommitteeMemberForm(
        request.POST or None,
        initial={"full_name": member.full_name, "unit": member.unit, "role": member.role},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("votesessions:committee", pk=pk)
    context = _tab_context(request, member.session, "committee")
    context.update(form=form, member=member)
    return render(request, "votesessions/committee_form.html", context)


@require_POST
def committee_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_user(request.user, pk, member_pk)
    try:
        services.committee_member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(name)s removed.") % {"name": member.full_name})
    return redirect("votesessions:committee", pk=pk)
