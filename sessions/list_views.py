"""The three lists a secretariat prepares: candidates, summoned voters, counting committee.

Each list has the same four pages (list with an add form, edit one row, remove one row; voters
also import), so they share three helpers; a view names its form, its service and its words.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .access import (
    Need,
    get_candidate_for_user,
    get_committee_member_for_user,
    get_session_for_user,
    get_voter_for_user,
)
from .forms import (
    CandidateAddForm,
    CandidateForm,
    CommitteeMemberForm,
    VoterForm,
    VoterImportForm,
)
from .imports import VoterRow, parse_voter_file
from .models import VotingSession
from .views import errors_text, tab_context

IMPORT_KEY = "voter-import-{pk}"


def _list_page(
    request: HttpRequest,
    pk: int,
    tab: str,
    *,
    form_class: type[forms.Form],
    add: Callable[[VotingSession, dict[str, Any]], str],
    rows: Callable[[VotingSession], dict[str, Any]],
    form_kwargs: Callable[[VotingSession], dict[str, Any]] = lambda session: {},
    frozen_message: str = services.MSG_NOT_DRAFT,
) -> HttpResponse:
    """A list tab: its rows, and while the list is editable a form that adds one row.

    `add` calls the service and returns the success message. A POST once the list is frozen is
    refused with the same message the services give, never silently dropped.
    """
    session = get_session_for_user(request.user, pk)
    context = tab_context(request, session, tab)
    form = None
    if context["list_editable"]:
        form = form_class(request.POST or None, **form_kwargs(session))
        if request.method == "POST" and form.is_valid():
            try:
                message = add(session, form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, message)
                return redirect(f"votesessions:{tab}", pk=pk)
    elif request.method == "POST":
        get_session_for_user(request.user, pk, need=Need.PREPARE)
        messages.error(request, _(frozen_message))
        return redirect(f"votesessions:{tab}", pk=pk)
    context.update(form=form, **rows(session))
    return render(request, f"votesessions/{tab}.html", context)


def _edit_page(
    request: HttpRequest,
    row: Model,
    tab: str,
    *,
    form: forms.Form,
    update: Callable[[dict[str, Any]], None],
    template: str,
    name: str,
) -> HttpResponse:
    """Edit one row of a list; `name` is the row's name in the template's context."""
    if request.method == "POST" and form.is_valid():
        try:
            update(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"votesessions:{tab}", pk=row.session_id)
    context = tab_context(request, row.session, tab)
    context.update(form=form, **{name: row})
    return render(request, template, context)


def _remove(
    request: HttpRequest, remove: Callable[[], None], removed: str, back: str
) -> HttpResponse:
    try:
        remove()
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, removed)
    return redirect(back)


# --- Candidates -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    def add(session: VotingSession, data: dict[str, Any]) -> str:
        candidate = services.candidate_add(
            actor=request.user,
            session=session,
            official=data["official"],
            full_name=data["full_name"],
            positions=data["positions"],
        )
        if candidate.excluded:  # proposed by sessions.proposals: the secretariat decides
            return _(
                "%(name)s added to the list, proposed as not rated: %(reason)s (%(note)s). Edit "
                "the line to rate them after all."
            ) % {
                "name": candidate.official.full_name,
                "reason": candidate.get_exclusion_reason_display(),
                "note": candidate.exclusion_note,
            }
        return _("%(name)s added to the list.") % {"name": candidate.official.full_name}

    return _list_page(
        request,
        pk,
        "candidates",
        form_class=CandidateAddForm,
        form_kwargs=lambda session: {"session": session},
        add=add,
        rows=lambda session: {"candidates": selectors.session_candidates(session)},
    )


@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    initial = {
        "position": candidate.position,
        "excluded": candidate.excluded,
        "exclusion_reason": candidate.exclusion_reason,
        "exclusion_note": candidate.exclusion_note,
    }
    return _edit_page(
        request,
        candidate,
        "candidates",
        form=CandidateForm(request.POST or None, initial=initial),
        update=lambda data: services.candidate_update(
            actor=request.user, candidate=candidate, **data
        ),
        template="votesessions/candidate_form.html",
        name="candidate",
    )


@require_POST
def candidate_move(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    try:
        services.candidate_move(
            actor=request.user, candidate=candidate, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return redirect(reverse("votesessions:candidates", args=[pk]) + f"#c{candidate.pk}")


@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, candidate_pk)
    return _remove(
        request,
        lambda: services.candidate_remove(actor=request.user, candidate=candidate),
        _("%(name)s removed from the list.") % {"name": candidate.official.full_name},
        reverse("votesessions:candidates", args=[pk]),
    )


# --- Summoned voters --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_voters(request: HttpRequest, pk: int) -> HttpResponse:
    def add(session: VotingSession, data: dict[str, Any]) -> str:
        services.voter_add(actor=request.user, session=session, **data)
        return _("%(name)s added.") % {"name": data["full_name"]}

    def rows(session: VotingSession) -> dict[str, Any]:
        query = request.GET.get("q", "").strip()
        voters = list(selectors.voters_matching(session, query))
        return {
            "voters": voters,
            "query": query,
            "total": session.voters.count(),
            "roster_count": session.organization.roster.count(),
        }

    return _list_page(request, pk, "voters", form_class=VoterForm, add=add, rows=rows)


@require_http_methods(["GET", "POST"])
def voter_edit(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    voter = get_voter_for_user(request.user, pk, voter_pk)
    initial = {"full_name": voter.full_name, "unit": voter.unit}
    return _edit_page(
        request,
        voter,
        "voters",
        form=VoterForm(request.POST or None, initial=initial),
        update=lambda data: services.voter_update(actor=request.user, voter=voter, **data),
        template="votesessions/voter_form.html",
        name="voter",
    )


@require_POST
def voter_remove(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    voter = get_voter_for_user(request.user, pk, voter_pk)
    return _remove(
        request,
        lambda: services.voter_remove(actor=request.user, voter=voter),
        _("%(name)s removed.") % {"name": voter.full_name},
        reverse("votesessions:voters", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def voters_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload and check a file. Nothing is imported until the preview is confirmed."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    context = tab_context(request, session, "voters")
    if not session.is_draft:
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
        messages.error(request, errors_text(exc))
        return redirect("votesessions:voters_import", pk=pk)
    del request.session[IMPORT_KEY.format(pk=pk)]
    messages.success(request, _("%(count)d voters imported.") % {"count": count})
    return redirect("votesessions:voters", pk=pk)


# --- Counting committee -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_committee(request: HttpRequest, pk: int) -> HttpResponse:
    def add(session: VotingSession, data: dict[str, Any]) -> str:
        services.committee_member_add(actor=request.user, session=session, **data)
        return _("%(name)s added.") % {"name": data["full_name"]}

    return _list_page(
        request,
        pk,
        "committee",
        form_class=CommitteeMemberForm,
        form_kwargs=lambda session: {"session": session},
        add=add,
        rows=lambda session: {"committee": selectors.session_committee(session)},
        frozen_message=services.MSG_COMMITTEE_CERTIFIED,
    )


@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_user(request.user, pk, member_pk)
    initial = {
        "full_name": member.full_name,
        "unit": member.unit,
        "role": member.role,
        "user": member.user_id,
    }
    return _edit_page(
        request,
        member,
        "committee",
        form=CommitteeMemberForm(request.POST or None, initial=initial, session=member.session),
        update=lambda data: services.committee_member_update(
            actor=request.user, member=member, **data
        ),
        template="votesessions/committee_form.html",
        name="member",
    )


@require_POST
def committee_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_user(request.user, pk, member_pk)
    return _remove(
        request,
        lambda: services.committee_member_remove(actor=request.user, member=member),
        _("%(name)s removed.") % {"name": member.full_name},
        reverse("votesessions:committee", args=[pk]),
    )
