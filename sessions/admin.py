"""Admin for support staff. Audit events are read-only; frozen sessions' lists are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
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
from .services import audit_record


class AuditedAdmin(admin.ModelAdmin):
    """Changes made here by support staff land in the session's audit trail too."""

    def _audit(self, request: HttpRequest, obj: Any, action: str, message: Any) -> None:
        session = obj if isinstance(obj, VotingSession) else getattr(obj, "session", None)
        if session is not None and session.pk:
            # The admin's bulk actions run outside a transaction; the chain needs one (row lock).
            with transaction.atomic():
                audit_record(
                    session=session,
                    actor=request.user,
                    action=action,
                    name=str(obj),
                    change=str(message)[:500],
                )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin_added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin_changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "admin_deleted", "")
        return super().log_deletions(request, queryset)


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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class FrozenInline(FrozenWhenNotDraft, admin.TabularInline):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # For an inline, obj is the parent session.
        return self._editable(obj) and super().has_add_permission(request, obj)


class CandidateInline(FrozenInline):
    model = Candidate
    extra = 0
    autocomplete_fields = ["official"]


class CommitteeInline(FrozenInline):
    model = CommitteeMember
    extra = 0


@admin.register(VotingSession)
class VotingSessionAdmin(AuditedAdmin):
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
class VoterAdmin(FrozenWhenNotDraft, AuditedAdmin):
    list_display = ["number", "full_name", "unit", "present", "session"]
    list_filter = ["session"]
    search_fields = ["full_name", "unit"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "session":
            # New voters go only onto draft lists.
            kwargs["queryset"] = VotingSession.objects.filter(status=VotingSession.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
