"""Project-wide error pages, translated and in the house layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or forged form: say so plainly, never Django's English debug page."""
    return render(request, "errors/csrf.html", status=403)
