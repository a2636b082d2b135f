"""Admin for support staff. Audit events are read-only; frozen sessions' lists are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AuditEvent,
    Candidate,
    CommitteeMember,
    Membership,
    Official,
    Organization,
    Voter,
    VotingSession,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["full_name", "positions", "organization"]
    list_filter = ["organization"]
    search_fields = ["full_name", "positions"]


class FrozenWhenNotDraft:
    """Inline rows of a session can be changed only while it is a draft."""

    def _editable(self, obj: Any) -> bool:
        session = obj if isinstance(obj, VotingSession) else getattr(obj, "session", None)
        return session is None or session.status == VotingSession.Status.DRAFT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class CandidateInline(FrozenWhenNotDraft, admin.TabularInline):
    model = Candidate
    extra = 0
    autocomplete_fields = ["official"]


class CommitteeInline(FrozenWhenNotDraft, admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(VotingSession)
class VotingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "date", "regime", "procedure", "mode", "status"]
    list_filter = ["status", "regime", "procedure", "mode", "organization"]
    search_fields = ["title", "place"]
    date_hierarchy = "date"
    readonly_fields = ["public_id", "status", "voter_list_sha256", "created_at"]
    inlines = [CandidateInline, CommitteeInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Status moves only through the services (with their audit events); past draft the
        # session is frozen here too.
        if obj is not None and obj.status != VotingSession.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Voter)
class VoterAdmin(FrozenWhenNotDraft, admin.ModelAdmin):
    list_display = ["number", "full_name", "unit", "present", "session"]
    list_filter = ["session"]
    search_fields = ["full_name", "unit"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "session", "actor", "action"]
    list_filter = ["action"]
    search_fields = ["session__title", "actor__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
