"""The voter's start page and ballot page, rendered once and served with each request's own values.

The start page (layout, language switch, the code field) is the same for every voter but for the
CSRF token; a session's ballot page is the same for all its voters but for the token, the code,
its voucher and the body's name (which may change during a vote). So each is rendered once per
language (and session: FrozenBallot keeps its pages) with stand-ins, and each request puts its own
values, escaped, in their place. Rendered each time, the start page cost five times a bare request
(issue 15). A form sent back with an error, and a ballot coming back with choices, are rendered
in full (ballots/views.py).
"""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language

from . import throttle
from .forms import CodeEntryForm
from .voting import BallotForm

# Letters only, so no escaping in the template changes them.
STAND_IN = "csrfTokenStandIn"
CODE, VOUCHER, BODY = "voterCodeStandIn", "voucherStandIn", "bodyNameStandIn"

_kept: dict[str, str] = {}
_lock = threading.Lock()


def start_page(request: HttpRequest) -> HttpResponse:
    language = get_language() or ""
    html = _kept.get(language)
    if html is None:
        html = render_to_string(
            "ballots/start.html",
            {
                "form": CodeEntryForm(),
                "csrf_token": STAND_IN,
                # The page itself, without whatever query string this first request carried.
                "language_next": reverse("ballots:start"),
            },
            request=request,
        )
        with _lock:
            _kept[language] = html
    return HttpResponse(html.replace(STAND_IN, get_token(request)))


def ballot_page(request: HttpRequest, form: BallotForm, code: str) -> HttpResponse:
    """The empty ballot of the code's session, for POST /b/."""
    language = get_language() or ""
    html = form.ballot.pages.get(language)
    if html is None:
        html = render_to_string(
            "ballots/ballot.html",
            {
                "ballot": form.ballot,
                "organization_name": BODY,
                "code": CODE,
                "voucher": VOUCHER,
                "rows": form.ballot.rows(),
                "csrf_token": STAND_IN,
            },
            request=request,
        )
        form.ballot.pages[language] = html
    for stand_in, value in (
        (STAND_IN, get_token(request)),
        (CODE, code),
        (VOUCHER, throttle.voucher(code)),
        (BODY, form.organization_name),
    ):
        html = html.replace(stand_in, escape(value))
    return HttpResponse(html)


def forget() -> None:
    """For the tests."""
    with _lock:
        _kept.clear()
