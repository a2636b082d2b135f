"""Certifications are shown to support staff, never changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Certification


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["session", "certified_by", "certified_at", "minutes_sha256"]
    fields = [
        "session",
        "certified_by",
        "certified_at",
        "minutes_sha256",
        "announcement_sha256",
        "ballot_set_sha256",
        "result_sha256",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
