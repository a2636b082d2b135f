"""The voter's start page, rendered once per language and served with each request's CSRF token.

The page (layout, language switch, the code field) is the same for every voter but for the CSRF
token, so it is rendered once per language and process with a stand-in for the token, and each
request puts its own token in the stand-in's place. It is the first of a voter's requests and,
rendered each time, cost five times a bare request (issue 15). A form sent back with an error is
rendered in full (ballots/views.py).
"""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from .forms import CodeEntryForm

# Letters only, so no escaping in the template changes it.
STAND_IN = "csrfTokenStandIn"

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


def forget() -> None:
    """For the tests."""
    with _lock:
        _kept.clear()
