"""The check-in desk, the code slips, open/close, the projector (the voter's pages: voter_views)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.access import Need, can, get_session_for_user, get_voter_for_user
from sessions.models import VotingSession
from sessions.selectors import voters_matching

from . import lan, services
from .forms import (
    ActivateForm,
    DeviceUnlockForm,
    GenerateCodesForm,
    IssueExplanationForm,
)
from .selectors import turnout
from .services import BallotRefused
from .slips import slips_pdf


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _context(request: HttpRequest, session: VotingSession, tab: str) -> dict:
    return {
        "session": session,
        "tab": tab,
        "can_prepare": can(request.user, session, Need.PREPARE),
        "editable": False,
    }


# --- Staff ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def codes_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    if session.mode != VotingSession.Mode.ELECTRONIC:
        raise Http404  # paper sessions have no voter codes (no tab or button leads here)
    figures = turnout(session)
    addresses = lan.phone_urls(
        request_host=request.get_host(), port=request.get_port(), scheme=request.scheme
    )
    summoned = figures.quorum.summoned
    spare_only = session.is_open
    initial = {
        "count": max(5, summoned // 10) if spare_only else summoned + max(5, summoned // 10),
        "base_url": settings.BALLOT_BASE_URL or (addresses[0] if addresses else ""),
    }
    form = GenerateCodesForm(
        request.POST or None,
        initial=initial,
        choose_kind=session.is_ready and figures.printed > 0,
        spare=spare_only,
    )
    if request.method == "POST" and form.is_valid():
        try:
            plain = services.codes_generate(
                actor=request.user,
                session=session,
                count=form.cleaned_data["count"],
                spare=form.wants_spare(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            pdf = slips_pdf(session=session, codes=plain, base_url=form.cleaned_data["base_url"])
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="ma-bo-phieu-{pk}.pdf"'
            response["Cache-Control"] = "no-store"
            return response
    context = _context(request, session, "codes")
    context.update(form=form, figures=figures, addresses=addresses, spare_only=spare_only)
    return render(request, "ballots/codes.html", context)


@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    activate_form = ActivateForm()
    if request.method == "POST":
        activate_form = ActivateForm(request.POST)
        if activate_form.is_valid():
            try:
                outcome = services.code_activate(
                    session=session, raw=activate_form.cleaned_data["code"]
                )
            except BallotRefused as refused:
                messages.error(request, refused.message)
            except ValidationError as exc:  # more slips than people present, unexplained
                messages.error(request, _errors(exc))
            else:
                if outcome == services.Activation.ACTIVATED:
                    messages.success(request, _("Slip activated. Hand it to the voter."))
                else:
                    messages.info(request, _("This slip was already active."))
            # Back to the code field for the next slip (desk.js; the fragment never reaches us).
            return redirect(reverse("ballots:desk", args=[pk]) + _query(request) + "#activate")
    query = request.GET.get("q", "").strip()
    explanation = services.issue_explanation(session)
    context = _context(request, session, "desk")
    context.update(
        voters=list(voters_matching(session, query)[:200]),
        query=query,
        figures=turnout(session),
        activate_form=activate_form,
        unlock_form=DeviceUnlockForm(),
        explanation=explanation,
        explanation_form=IssueExplanationForm(initial={"explanation": explanation}),
        desk_open=session.desk_open,
    )
    return render(request, "ballots/desk.html", context)


@require_POST
def desk_explanation(request: HttpRequest, pk: int) -> HttpResponse:
    """Record why more ballots are issued than people present (the minutes print it)."""
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    form = IssueExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("explanation", [])))
    else:
        try:
            services.issue_explanation_save(
                actor=request.user, session=session, explanation=form.cleaned_data["explanation"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Explanation recorded. The minutes print it."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)  # the results page, where a closed count is explained
    return redirect(reverse("ballots:desk", args=[pk]) + _query(request) + "#explanation")


def _query(request: HttpRequest) -> str:
    """Back to the desk with the search the officer had typed (names have spaces, diacritics)."""
    query = request.POST.get("q", "").strip()
    return f"?{urlencode({'q': query})}" if query else ""


@require_POST
def desk_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlock a voting device that entered too many wrong codes, by the number it shows."""
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    form = DeviceUnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the 6-digit number the locked device shows."))
    else:
        try:
            services.device_unlock(
                actor=request.user, session=session, number=form.cleaned_data["number"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Device unlocked: it can take a code again."))
    return redirect(reverse("ballots:desk", args=[pk]) + _query(request) + "#unlock")


@require_POST
def check_in(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    voter = get_voter_for_user(request.user, pk, voter_pk, need=Need.RUN)
    present = request.POST.get("present") == "1"
    try:
        services.voter_check_in(voter=voter, present=present)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if present:
            messages.success(request, _("%(name)s is present.") % {"name": voter.full_name})
        else:
            messages.info(request, _("%(name)s marked absent.") % {"name": voter.full_name})
    # Back at the same row of the list (a fragment: the browser keeps it, no log ever sees it).
    return redirect(reverse("ballots:desk", args=[pk]) + _query(request) + f"#v{voter.pk}")


@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        changed = services.session_open(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if changed:
            messages.success(request, _("Voting is open."))
        else:
            messages.info(request, _("Voting was already open."))
    return redirect("ballots:desk", pk=pk)


@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    try:
        changed = services.session_close(
            actor=request.user, session=session, confirm_empty=request.POST.get("confirm") == "1"
        )
    except ValidationError as exc:
        if exc.code == "empty":
            context = _context(request, session, "desk")
            return render(request, "ballots/close_empty.html", context)
        messages.error(request, _errors(exc))
    else:
        if changed and session.mode == VotingSession.Mode.ELECTRONIC:
            messages.success(request, _("Voting is closed. No code works any more."))
        elif changed:
            messages.success(
                request, _("Voting is closed. The committee now counts the paper ballots.")
            )
        else:
            messages.info(request, _("Voting was already closed."))
    return redirect("votesessions:detail", pk=pk)


@require_GET
def turnout_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """For the hall's projector: how many have voted, never how."""
    session = get_session_for_user(request.user, pk)
    return render(
        request,
        "ballots/turnout.html",
        {"session": session, "figures": turnout(session), "refresh": 5},
    )


# --- Voters (no sign-in) ----------------------------------------------------------------------
