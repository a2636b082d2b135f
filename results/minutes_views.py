"""The page where the committee or the secretariat enters the minutes' details before
certification (number, copies, when the count began and ended)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions.access import Need, can

from .access import get_result_session_for_user
from .minutes_details import (
    MSG_CERTIFIED,
    MinutesDetailsForm,
    initial_details,
    minutes_details_update,
)


@require_http_methods(["GET", "POST"])
def minutes_details(request: HttpRequest, pk: int) -> HttpResponse:
    # Those who see the results and run the session on the day (secretariat, committee); to
    # anyone else the page is as missing as the session.
    session = get_result_session_for_user(request.user, pk)
    if not can(request.user, session, Need.RUN):
        raise Http404
    context = {"session": session, "tab": "results", "editable": False}
    if session.is_certified:
        context["refusal"] = _(MSG_CERTIFIED)
        return render(request, "results/minutes_details.html", context, status=409)
    form = MinutesDetailsForm(request.POST or None, initial=initial_details(session))
    if request.method == "POST" and form.is_valid():
        try:
            changed = minutes_details_update(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as exc:
            context["refusal"] = " ".join(exc.messages)
            return render(request, "results/minutes_details.html", context, status=409)
        if changed:
            messages.success(request, _("The minutes' details are saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("results:page", pk=pk)
    context["form"] = form
    return render(request, "results/minutes_details.html", context)
