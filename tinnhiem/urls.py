"""Top-level URLs. Each app owns its own URLconf; templates link across apps by URL name."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.i18n import set_language

from people.views.password import OwnPasswordChangeView


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    # First: a voter's request (/b/…) is resolved by the first patterns tried (issue 15).
    path("", include("ballots.urls")),
    path("", include("sessions.urls")),
    path("people/", include("people.urls")),
    path("", include("results.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        OwnPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
