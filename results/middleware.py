"""A frozen document that no longer matches its fingerprint: a plain 409 page, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .frozen import FrozenDocumentMismatch


class FrozenDocumentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, FrozenDocumentMismatch):
            return None
        return render(
            request,
            "results/frozen_mismatch.html",
            {"document": exception.label, "session_id": exception.session_id},
            status=409,
        )
