"""Admin for support staff. Audit events are read-only; frozen sessions' lists are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    Candidate,
    CommitteeMember,
    Membership,
    Official,
    Organization,
    RegistryEvent,
    Voter,
    VotingSession,
)
from .services import audit_record, registry


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


class RegistryAdmin(admin.ModelAdmin):
    """Officials and organizations: every add, change and delete becomes a RegistryEvent, and
    what a certified session's record shows of them cannot change (sessions/services/registry.py
    says why). The form names the refusal; the service checks again under the row locks."""

    def _save(self, request: HttpRequest, obj: Any, fields: list[str] | None) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            self._save(request, obj, list(form.changed_data) if change else None)
        except ValidationError as exc:
            # The form's clean() already refused this under the same locks; only reached if
            # the admin's flow changes. A 403 with the reason, never a 500.
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        inline = [
            f"{kind} {entry[kind]['name']}: {entry[kind]['object']}"
            for entry in self.construct_change_message(request, form, formsets, not change)
            for kind in ("added", "changed", "deleted")
            if kind in entry and "object" in entry[kind]
        ]
        if inline:
            registry.registry_record(
                actor=request.user,
                obj=form.instance,
                action=RegistryEvent.Action.CHANGED,
                note="; ".join(inline),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        registry.registry_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                registry.registry_delete(actor=request.user, obj=obj)


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "parent",
            "document_name",
            "national_heading",
            "motto",
            "locality",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        registry.organization_check_change(organization=self.instance, fields=self.changed_data)
        return cleaned


class OfficialAdminForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["organization", "full_name", "positions", "birth_year"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        registry.official_check_change(official=self.instance, fields=self.changed_data)
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(RegistryAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def _save(self, request: HttpRequest, obj: Any, fields: list[str] | None) -> None:
        registry.organization_save(actor=request.user, organization=obj, fields=fields)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(Official)
class OfficialAdmin(RegistryAdmin):
    form = OfficialAdminForm
    list_display = ["full_name", "positions", "organization"]
    list_filter = ["organization"]
    search_fields = ["full_name", "positions"]

    def _save(self, request: HttpRequest, obj: Any, fields: list[str] | None) -> None:
        registry.official_save(actor=request.user, official=obj, fields=fields)


class FrozenWhenNotDraft:
    """Inline rows of a session can be changed only while it is a draft."""

    def _editable(self, obj: Any) -> bool:
        session = obj if isinstance(obj, VotingSession) else getattr(obj, "session", None)
        return session is None or session.is_draft

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
        if obj is not None and not obj.is_draft:
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


@admin.register(RegistryEvent)
class RegistryEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "object_repr", "action", "actor"]
    list_filter = ["subject", "action"]
    search_fields = ["object_repr", "actor__username"]
    readonly_fields = [
        "created_at",
        "actor",
        "subject",
        "object_id",
        "object_repr",
        "action",
        "before",
        "after",
        "note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TranslatedPasswordChangeForm(AdminPasswordChangeForm):
    """Django builds this form's help text once, at import, by joining a lazy text to a plain
    one: it stays in whatever language was active then. Here it is built per request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("usable_password")
        if field is not None:
            field.help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}'
                "</li></ul>",
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


class TranslatedUserAdmin(UserAdmin):
    change_password_form = TranslatedPasswordChangeForm


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), TranslatedUserAdmin)
