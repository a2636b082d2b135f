"""The voter's pages: the code, the ballot, the review, the cast and its acknowledgement."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services, throttle, voter_pages
from .forms import CodeEntryForm
from .models import BLANK
from .services import BallotRefused

logger = logging.getLogger(__name__)


# Refusals that may mean someone is guessing codes (not: already used, closed, tampered).
GUESSES = {"format", "unknown"}


def _check_code(request: HttpRequest, raw: str):
    """ballot_open behind the guess throttle; a locked device learns nothing about any code."""
    # Every voter view answers a database error itself (503 and the same form to send again),
    # and Django closes a connection found broken when the request ends: so these requests skip
    # the health check (CONN_HEALTH_CHECKS: a SELECT 1 before a kept connection's first query),
    # a round trip of every request (issue 15). Staff pages keep it.
    connection.health_check_done = True
    if throttle.vouched(raw, request.POST.get("voucher", "")):
        return services.ballot_open(raw)  # found right a moment ago: nothing to count
    buckets = throttle.buckets(request)
    try:
        return services.ballot_open(raw, locked=buckets.locked())
    except BallotRefused as refused:
        if refused.reason in GUESSES and not throttle.count_guess(request, buckets):
            raise BallotRefused("throttled") from None
        raise


def _refused(request: HttpRequest, refused: BallotRefused) -> HttpResponse:
    # After a database failure, offer the very same request again (the page is no-store).
    retry = (
        [
            (name, value)
            for name, values in request.POST.lists()
            if name in ("code", "voucher", "ballot")
            or (name.startswith("c") and name[1:].isdigit())
            for value in values
        ]
        if refused.reason == "unavailable"
        else []
    )
    response = render(
        request,
        "ballots/refused.html",
        {
            "message": refused.message,
            "reason": refused.reason,
            "form": CodeEntryForm(),
            "device_number": throttle.device_number(request)
            if refused.reason == "throttled"
            else "",
            "retry": retry,
            "retry_url": request.path,
        },
        status=refused.status,
    )
    patch_cache_control(response, no_store=True)
    throttle.remember_device(request, response)
    return response


def _ballot_page(
    request: HttpRequest, ballot: services.BallotForm, code: str, *, rows: str
) -> HttpResponse:
    """The radio buttons (FrozenBallot.rows: empty ones rendered once per session and language)."""
    return render(
        request,
        "ballots/ballot.html",
        {
            "ballot": ballot.ballot,
            "organization_name": ballot.organization_name,
            "code": code,
            "voucher": throttle.voucher(code),
            "rows": rows,
        },
    )


@login_not_required
@never_cache
@sensitive_post_parameters()  # codes and choices stay out of any error report
@require_http_methods(["GET", "POST"])
def ballot_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the code. Step 2 (same POST): the ballot itself."""
    if request.method != "POST":
        return voter_pages.start_page(request)
    form = CodeEntryForm(request.POST)
    if form.is_valid():
        try:
            ballot = _check_code(request, form.cleaned_data["code"])
        except BallotRefused as refused:
            return _refused(request, refused)
        except DatabaseError:
            logger.error("a code check failed on a database error; the voter is asked to retry")
            return _refused(request, BallotRefused("unavailable"))
        return voter_pages.ballot_page(request, ballot, form.cleaned_data["code"])
    return render(request, "ballots/start.html", {"form": form})


@login_not_required
@never_cache
@sensitive_post_parameters()  # codes and choices stay out of any error report
@require_POST
def ballot_review(request: HttpRequest) -> HttpResponse:
    """Step 3: the voter checks the choices; blank lines are pointed out."""
    code = request.POST.get("code", "")
    try:
        ballot = _check_code(request, code)
        choices = services.choices_from_post(ballot, dict(request.POST.lists()), strict=False)
    except BallotRefused as refused:
        return _refused(request, refused)
    except DatabaseError:
        logger.error("a code check failed on a database error; the voter is asked to retry")
        return _refused(request, BallotRefused("unavailable"))
    if "change" in request.POST:
        return _ballot_page(request, ballot, code, rows=ballot.ballot.rows(choices))
    labels = dict(ballot.levels)
    rows = [(c, choices[c.pk], labels.get(choices[c.pk])) for c in ballot.candidates]
    return render(
        request,
        "ballots/review.html",
        {
            "ballot": ballot.ballot,
            "code": code,
            "voucher": throttle.voucher(code),
            "rows": rows,
            "blanks": sum(1 for _c, value, _label in rows if value == BLANK),
        },
    )


def _kept(request: HttpRequest, code: str, sent: dict):
    """The ballot this process keeps for the page's session, and the choices read against it,
    when the code comes back with its voucher: then the cast is one statement, its gate the only
    read of the code. None when it is not kept here, or the choices do not fit it: the long way
    decides, so the answer does not depend on which ballots this process happens to keep."""
    if not throttle.vouched(code, request.POST.get("voucher", "")):
        return None
    ballot = services.kept_form(code, request.POST.get("ballot", ""))
    if ballot is None:
        return None
    connection.health_check_done = True  # as _check_code
    try:
        return ballot, services.choices_from_post(ballot, sent, strict=True)
    except BallotRefused:
        return None


@login_not_required
@never_cache
@sensitive_post_parameters()  # codes and choices stay out of any error report
@require_POST
def ballot_cast(request: HttpRequest) -> HttpResponse:
    """Step 4: record. Then redirect, so a reload cannot resubmit."""
    code = request.POST.get("code", "")
    try:
        sent = dict(request.POST.lists())
        kept = _kept(request, code, sent)
        if kept is not None:
            ballot, choices = kept
        else:
            ballot = _check_code(request, code)
            choices = services.choices_from_post(ballot, sent, strict=True)
        services.ballot_cast(raw=code, choices=choices, form=ballot)
    except BallotRefused as refused:
        return _refused(request, refused)
    except DatabaseError:
        # The transaction rolled back, or (if the connection died at commit) did not: either
        # way the same form can be sent again, and the code's state decides. No double count.
        logger.error("cast failed on a database error; the voter is asked to retry")
        return _refused(request, BallotRefused("unavailable"))
    return redirect("ballots:done")


@login_not_required
@never_cache
@require_GET
def ballot_done(request: HttpRequest) -> HttpResponse:
    return render(request, "ballots/done.html")
