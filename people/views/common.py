"""What the people views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from ..access import is_administrator


def errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def require_administrator(request: HttpRequest) -> None:
    """The pages of bodies and accounts: only administrators; others get the 404 of missing."""
    if not is_administrator(request.user):
        raise Http404
