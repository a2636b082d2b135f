"""A certified record that fails its fingerprint check gets a clear refusal, never a 500.

Two kinds: the frozen result (`AlteredRecord`, from `frozen.session_result`) and a frozen
document (`FrozenDocumentMismatch`, from `frozen.verified_blob`). Both were logged where found.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .frozen import AlteredRecord, FrozenDocumentMismatch

MSG_ALTERED = gettext_noop(
    "The certified results of this session do not match the fingerprint recorded at "
    "certification. They are not served, and not recomputed either."
)


class AlteredRecordMiddleware:
    """409 Conflict for any view that met an altered record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, FrozenDocumentMismatch):
            return render(
                request,
                "results/frozen_mismatch.html",
                {"document": exception.label, "session_id": exception.session_id},
                status=409,
            )
        if not isinstance(exception, AlteredRecord):
            return None
        match = request.resolver_match
        if match is not None and match.view_name == "results:api":
            return JsonResponse({"error": _(MSG_ALTERED)}, status=409)
        return render(
            request,
            "results/altered.html",
            {"session": exception.session, "message": _(MSG_ALTERED)},
            status=409,
        )
