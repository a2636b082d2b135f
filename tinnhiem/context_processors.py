"""Context every page's layout needs."""

from __future__ import annotations

from django.http import HttpRequest


def language_next(request: HttpRequest) -> dict[str, str]:
    """Where the language switch returns to: this page, if it can be fetched again.

    A page rendered by a POST (the voter's review, an audit check, a form sent back with its
    errors) may answer only POST: returning there would be a 405. Its parent is always a page
    (/b/review/ → /b/, /sessions/4/audit/check/ → /sessions/4/audit/).
    """
    if request.method in ("GET", "HEAD"):
        return {"language_next": request.get_full_path()}
    parent = request.path.rstrip("/").rsplit("/", 1)[0]
    return {"language_next": f"{parent}/"}
