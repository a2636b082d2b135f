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

import re
import threading

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import throttle
from .forms import CodeEntryForm
from .voting import BallotForm

# HTML comments, passed to the template as safe strings: whatever a user typed (a title, a
# name) reaches the page escaped, so only these can put "<!--tinnhiem:" in it. Each request's
# values go in their place in one pass, so a value is never read again as a stand-in.
STAND_IN = mark_safe("<!--tinnhiem:csrf-->")
CODE = mark_safe("<!--tinnhiem:code-->")
VOUCHER = mark_safe("<!--tinnhiem:voucher-->")
BODY = mark_safe("<!--tinnhiem:body-->")
_STAND_INS = re.compile("<!--tinnhiem:(csrf|code|voucher|body)-->")


def _fill(html: str, values: dict[str, str]) -> HttpResponse:
    return HttpResponse(_STAND_INS.sub(lambda found: escape(values[found[1]]), html))


_kept: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


def start_page(request: HttpRequest) -> HttpResponse:
    # Per language, and per URL prefix (SCRIPT_NAME): every link on the page carries it.
    key = (get_language() or "", get_script_prefix())
    html = _kept.get(key)
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
            _kept[key] = html
    return _fill(html, {"csrf": get_token(request)})


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
    return _fill(
        html,
        {
            "csrf": get_token(request),
            "code": code,
            "voucher": throttle.voucher(code),
            "body": form.organization_name,
        },
    )


def forget() -> None:
    """For the tests."""
    with _lock:
        _kept.clear()
