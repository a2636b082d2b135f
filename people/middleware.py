"""An account holding a temporary password changes it before anything else.

An organization administrator creates an account or resets its password with a temporary one,
shown once (people.services.accounts); until its user chooses their own on the password change
page, every request of that user is sent there. Signing out, the language switch, static files
and the change page itself stay open. Listed after AuthenticationMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import Account

_OPEN_URL_NAMES = ("password_change", "password_change_done", "logout", "set_language")


class TemporaryPasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def _open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in _OPEN_URL_NAMES)
        return path in self._open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._open(request.path)
            and Account.objects.filter(user_id=user.pk, must_change_password=True).exists()
        ):
            return redirect("password_change")
        return self.get_response(request)
