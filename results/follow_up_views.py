"""The follow-up vote of confidence and resignations, from the results page of a certified
rating. Only the secretariat of the session's body: others get the same 404 as a missing
session; a refusal (not certified, nobody concerned, a bad date) is a 409 or 400 that says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.access import Need, get_candidate_for_user, get_session_for_user
from sessions.models import VotingSession

from . import follow_up_services as services
from .follow_up_forms import ResignationForm


def _refused(request: HttpRequest, session: VotingSession, message: str, status: int = 409):
    return render(
        request,
        "results/follow_up_refused.html",
        {"session": session, "message": message},
        status=status,
    )


@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create (or go to) the vote of confidence this certified rating calls for."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        created, new = services.follow_up_create(actor=request.user, session=session)
    except ValidationError as exc:
        return _refused(request, session, " ".join(exc.messages))
    if new:
        messages.success(
            request,
            _(
                "The vote of confidence is prepared as a draft: check its details, date, "
                "candidates, summoned list and committee before freezing the lists."
            ),
        )
    else:
        messages.info(request, _("The follow-up vote of confidence was already prepared."))
    return redirect("votesessions:detail", pk=created.pk)


@require_POST
def resignation_record(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Record that a person in a band resigned (xin từ chức), with the date."""
    candidate = get_candidate_for_user(request.user, pk, candidate_pk, need=Need.PREPARE)
    session = candidate.session
    form = ResignationForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return _refused(request, session, " ".join(errors), status=400)
    try:
        recorded = services.resignation_record(
            actor=request.user, candidate=candidate, **form.cleaned_data
        )
    except ValidationError as exc:
        return _refused(request, session, " ".join(exc.messages))
    name = candidate.official.full_name
    messages.success(request, _("The resignation of %(name)s is recorded.") % {"name": name})
    if recorded.excluded:
        messages.info(
            request,
            _("%(name)s is taken off the list of the follow-up vote of confidence.")
            % {"name": name},
        )
    elif recorded.follow_up is not None and not recorded.follow_up.is_draft:
        messages.warning(
            request,
            _(
                "The lists of the follow-up vote of confidence are frozen: put it back to draft "
                "to take %(name)s off its list."
            )
            % {"name": name},
        )
    return redirect("results:page", pk=session.pk)
