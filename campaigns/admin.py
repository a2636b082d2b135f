"""Campaigns in the support staff's admin: read-only (they change in the app, with a record)."""

from __future__ import annotations

from django.contrib import admin

from .models import Campaign, CampaignEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ["title", "year", "organization", "regime", "deadline"]
    list_filter = ["year", "regime"]


@admin.register(CampaignEvent)
class CampaignEventAdmin(ReadOnly):
    list_display = ["created_at", "actor", "action", "campaign"]
