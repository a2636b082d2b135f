"""The voter pages take small URL-encoded forms only, and refuse anything else unread."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

FORM = "application/x-www-form-urlencoded"
# A ballot for 200 candidates is about 5 KB URL-encoded (CSRF token, code, and "c<id>=<level>"
# per line: tests/ballots/test_voter_requests.py measures it). 64 KB leaves ten times that.
MAX_BODY = 64 * 1024

REFUSALS = {
    400: (_("The request could not be read"), _("Nothing was recorded. Go back and try again.")),
    411: (_("The request could not be read"), _("Nothing was recorded. Go back and try again.")),
    413: (
        _("This request is too large"),
        _("A ballot is a small form; this was far larger. Nothing was recorded."),
    ),
    415: (
        _("This request is not a ballot form"),
        _("The voting pages accept only the form your browser sends. Nothing was recorded."),
    ),
}


class VoterBodyLimitMiddleware:
    """Refuse a voter request whose body is large, of another type, or of unknown length.

    Any other request from someone not signed in (no session cookie) is held to the same size.

    It runs before any middleware's process_view, so before CsrfViewMiddleware (which reads
    request.POST for its token) or the view parse a single byte: a 50 MB multipart upload to an
    anonymous page is answered from its headers. Listed before CsrfViewMiddleware all the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(reverse("ballots:start")):
            status = self._refusal(request)
        elif settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nobody signed in (the sign-in page, the language switch, the public pages): no
            # form there is large either, and CsrfViewMiddleware would parse any upload.
            status = self._refusal(request, any_type=True)
        else:
            status = None
        if status is not None:
            return self._refuse(request, status)
        return self.get_response(request)

    @staticmethod
    def _refusal(request: HttpRequest, *, any_type: bool = False) -> int | None:
        meta = request.META
        if "HTTP_TRANSFER_ENCODING" in meta:
            return 411  # a chunked body of any size: say how long it is, or send none
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 400
        if length < 0:
            return 400
        if length > MAX_BODY:
            return 413
        content_type = meta.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        if length and content_type != FORM and not any_type:
            return 415
        return None

    @staticmethod
    def _refuse(request: HttpRequest, status: int) -> HttpResponse:
        title, message = REFUSALS[status]
        response = render(
            request,
            "ballots/request_refused.html",
            {"title": title, "message": message},
            status=status,
        )
        patch_cache_control(response, no_store=True)
        return response
