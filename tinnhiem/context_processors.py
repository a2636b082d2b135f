"""Context every page's layout needs."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse_lazy

VOTER_START = reverse_lazy("ballots:start")


def language_next(request: HttpRequest) -> dict[str, str]:
    """Where the language switch returns to: this page, if it can be fetched again.

    A page rendered by a POST (the voter's review, an audit check, a form sent back with its
    errors) may answer only POST: returning there would be a 405. Its parent is always a page
    (/b/review/ → /b/, /sessions/4/audit/check/ → /sessions/4/audit/). The voter's ballot page,
    a POST to /b/, returns to /b/ itself (its code form), not to / (the staff's sign-in): the
    voter then enters the code again, in the new language.
    """
    if request.method in ("GET", "HEAD"):
        return {"language_next": request.get_full_path()}
    if request.path == VOTER_START:
        return {"language_next": VOTER_START}
    parent = request.path.rstrip("/").rsplit("/", 1)[0]
    return {"language_next": f"{parent}/"}
