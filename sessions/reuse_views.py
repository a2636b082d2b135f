"""Reuse: a new session from an earlier one, and a body's roster of members used as (and saved
from) a session's summoned list. Only the secretariat of the body; others get the same 404 as
for a missing session or body."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .access import Need, get_organization_for_user, get_session_for_user
from .models import RosterMember
from .reuse_forms import ReuseForm, RosterMemberForm, RosterUseForm
from .views import errors_text, tab_context


@require_http_methods(["GET", "POST"])
def session_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """ "New session from this one": a new draft with the same lists, a new title and date."""
    source = get_session_for_user(request.user, pk, need=Need.PREPARE)
    form = ReuseForm(request.POST or None, initial={"title": source.title, "date": source.date})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_reuse(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "New draft session created with the candidates, the summoned list and the "
                    "committee of “%(title)s”. Review them before freezing the lists."
                )
                % {"title": source.title},
            )
            return redirect("votesessions:detail", pk=session.pk)
    context = tab_context(request, source, "overview")
    context.update(form=form, counts=_counts(source))
    return render(request, "votesessions/session_reuse.html", context, status=_status(form))


def _counts(session) -> dict[str, int]:
    return {
        "candidates": session.candidates.count(),
        "voters": session.voters.count(),
        "committee": session.committee.count(),
    }


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_http_methods(["GET", "POST"])
def roster_page(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A body's roster: its members, one added at a time, or saved from a session's list."""
    organization = get_organization_for_user(request.user, org_pk, need=Need.PREPARE)
    form = RosterMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.roster_member_add(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": member.full_name})
            return redirect("votesessions:roster", org_pk=org_pk)
    members = organization.roster.order_by("number")
    return render(
        request,
        "votesessions/roster.html",
        {"organization": organization, "members": members, "form": form},
        status=_status(form),
    )


@require_POST
def roster_remove(request: HttpRequest, org_pk: int, member_pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, org_pk, need=Need.PREPARE)
    member = RosterMember.objects.filter(organization=organization, pk=member_pk).first()
    if member is None:
        raise Http404
    services.roster_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s removed.") % {"name": member.full_name})
    return redirect("votesessions:roster", org_pk=org_pk)


@require_POST
def voters_from_roster(request: HttpRequest, pk: int) -> HttpResponse:
    """Use the body's roster as a draft session's summoned list (replace or append)."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    form = RosterUseForm(request.POST)
    replace = form.cleaned_data["replace"] if form.is_valid() else False
    try:
        removed, count = services.voters_from_roster(
            actor=request.user, session=session, replace=replace
        )
    except ValidationError as exc:
        context = tab_context(request, session, "voters")
        context["message"] = errors_text(exc)
        return render(request, "votesessions/roster_refused.html", context, status=409)
    if replace:
        text = _(
            "The summoned list was replaced: %(removed)d voters removed, %(count)d members of the "
            "body's roster put on the list."
        )
    else:
        text = _("%(count)d members of the body's roster put on the list.")
    messages.success(request, text % {"removed": removed, "count": count})
    return redirect("votesessions:voters", pk=pk)


@require_POST
def roster_from_voters(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a session's summoned list as its body's roster (replacing the roster)."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        count = services.roster_save_from_session(actor=request.user, session=session)
    except ValidationError as exc:
        context = tab_context(request, session, "voters")
        context["message"] = errors_text(exc)
        return render(request, "votesessions/roster_refused.html", context, status=409)
    messages.success(
        request, _("The body's roster now holds these %(count)d people.") % {"count": count}
    )
    return redirect("votesessions:voters", pk=pk)
