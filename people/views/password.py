"""The user's own password: Django's change page, which also ends a temporary password's
obligation (people.middleware), and the one reading of a temporary password just given."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services
from ..access import get_account_for_user
from ..models import Account

SESSION_KEY = "people_temporary_password"


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change_password"] = Account.objects.filter(
            user_id=self.request.user.pk, must_change_password=True
        ).exists()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_by_owner(self.request.user)
        return response


def keep_for_one_reading(request: HttpRequest, account, password: str, created: bool) -> None:
    """Hold the temporary password in the server-side session until its page is read once."""
    request.session[SESSION_KEY] = {"account": account.pk, "password": password, "created": created}


@never_cache
@require_GET
def password_shown(request: HttpRequest, pk: int) -> HttpResponse:
    """The temporary password, shown this once: taken out of the session as it is read, so a
    reload shows it no more (and resets nothing)."""
    account = get_account_for_user(request.user, pk)
    held = request.session.get(SESSION_KEY)
    if not held or held.get("account") != account.pk:
        messages.info(
            request,
            _(
                "The temporary password was shown once and is not kept: reset it again if it "
                "is lost."
            ),
        )
        return redirect("people:account", pk=pk)
    del request.session[SESSION_KEY]
    return render(
        request,
        "people/password_shown.html",
        {"account": account, "password": held["password"], "created": held["created"]},
    )
