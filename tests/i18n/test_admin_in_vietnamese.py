"""The admin in Vietnamese mode: Django's and django-axes' strings missing from their own
Vietnamese catalogues come from ours."""

from __future__ import annotations

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

ENGLISH = [
    "Please correct the error",
    "Please correct the errors",
    "Password-based authentication",
    "Whether the user will be able",
    "If disabled, the current password",
    "Raw passwords are not stored",
    "Reset password",
    "After you’ve created a user",
    "Skip to main content",
    "Model name",
    "Change or view list link",
    "Toggle theme",
    "Show counts",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Attempt Time",
    "Logout Time",
    "Locked Out",
    "Meta Data",
    "Form Data",
    "IP Address",
    "Failed Logins",
]


def _english_in(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return [phrase for phrase in ENGLISH if phrase in text]


def test_the_admin_pages_show_none_of_the_english_strings_in_vietnamese_mode(client, cast):
    attempt = AccessAttempt.objects.create(
        username="ai-do", ip_address="10.0.0.9", user_agent="x", failures_since_start=1
    )
    log = AccessLog.objects.create(username="ai-do", ip_address="10.0.0.9", user_agent="x")
    AccessFailureLog.objects.create(username="ai-do", ip_address="10.0.0.9", user_agent="x")
    client.force_login(cast.superuser)
    user = cast.secretariat.pk
    organization = cast.session.organization.pk
    urls = [
        reverse("admin:index"),
        reverse("admin:votesessions_organization_changelist"),
        reverse("admin:votesessions_organization_change", args=[organization]),
        reverse("admin:auth_user_change", args=[user]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_password_change", args=[user]),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[attempt.pk]),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accesslog_change", args=[log.pk]),
        reverse("admin:axes_accessfailurelog_changelist"),
    ]
    pages = {url: client.get(url) for url in urls}
    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(urls, 200)
    english = {url: _english_in(page.content.decode()) for url, page in pages.items()}
    refused = client.post(reverse("admin:auth_user_change", args=[user]), {"username": ""})
    english["user form with an error"] = _english_in(refused.content.decode())
    assert refused.status_code == 200
    assert {url: found for url, found in english.items() if found} == {}
    assert "Đăng nhập bằng mật khẩu" in client.get(reverse("admin:auth_user_add")).content.decode()
