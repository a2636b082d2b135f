"""Support staff see the people records; the records of changes are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Account, AccountEvent, OfficialMerge, Position


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "account", "organization"]
    list_filter = ["action"]


@admin.register(OfficialMerge)
class OfficialMergeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "merged_id", "kept"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["official", "title", "started_on", "ended_on"]
    search_fields = ["official__full_name", "title"]
