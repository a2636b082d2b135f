"""Accounts of the bodies, officials' posts and search keys, and the records of their changes.

Full names of accounts are kept whole, in Vietnamese order ("Trần Văn Đông"), in
`User.first_name` (150 characters) with `last_name` empty: Django's own user model, no profile
table, and what the staff layout and the demo data already show. Organizations and officials
themselves live in `sessions` (they outlive sessions); their changes are recorded there, in
`RegistryEvent`. What is recorded here is append-only, like it: never changed, never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.models import Official, Organization


class Account(models.Model):
    """The body an account was created at: an administrator of that body (or above) still
    reaches it after every role is withdrawn. Accounts made in the Django admin have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("created at"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    # Set when the account is given a temporary password (created or reset by an administrator),
    # cleared when its user chooses their own on the password change page; until then every page
    # leads there (people.middleware).
    must_change_password = models.BooleanField(_("must change the password"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"


class AccountEvent(models.Model):
    """Append-only record of a change to an account or its roles: who, what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Account created")
        RENAMED = "renamed", _("Full name changed")
        ROLE_GRANTED = "granted", _("Role granted")
        ROLE_WITHDRAWN = "withdrawn", _("Role withdrawn")
        PASSWORD_RESET = "password", _("Password reset")
        DEACTIVATED = "deactivated", _("Account deactivated")
        REACTIVATED = "reactivated", _("Account reactivated")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=12, choices=Action)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "created",
                        "renamed",
                        "granted",
                        "withdrawn",
                        "password",
                        "deactivated",
                        "reactivated",
                    ]
                ),
                name="account_event_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.account}"


class Position(models.Model):
    """A post an official holds or held, from the day elected or appointed."""

    official = models.ForeignKey(
        Official,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="held_positions",
    )
    title = models.CharField(_("position"), max_length=300)
    started_on = models.DateField(_("elected or appointed on"))
    ended_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("position held")
        verbose_name_plural = _("positions held")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="position_title_not_empty"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_on:%d/%m/%Y})"


class OfficialSearch(models.Model):
    """The search key of an official: name and posts folded (case, NFC, diacritics, đ → d).

    A column, so one query finds "Tuấn" from "tuan" on SQLite and PostgreSQL alike. Officials
    are also created outside this app (a candidate added by name, an imported tally, the admin),
    so `people.selectors.search_keys_refresh` brings missing or stale keys up to date (the
    name and posts they were made from are kept beside them) before every search.
    """

    official = models.OneToOneField(
        Official,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
    )
    full_name = models.CharField(max_length=150)
    positions = models.CharField(max_length=300)
    key = models.CharField(max_length=460, db_index=True)

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")

    def __str__(self) -> str:
        return self.key


class OfficialMerge(models.Model):
    """Append-only: a duplicate official merged into the one kept, and what moved.

    The duplicate's row is deleted; its id stays here, so a certified record that still names
    it (results.frozen links each line to a candidate and an official by id) knows where the
    person went.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    kept = models.ForeignKey(
        Official, verbose_name=_("kept"), on_delete=models.PROTECT, related_name="merges"
    )
    merged_id = models.PositiveBigIntegerField(_("merged official id"), unique=True)
    merged = models.JSONField(_("merged official"), default=dict)
    candidacies = models.JSONField(_("candidacies moved"), default=list)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("merge of officials")
        verbose_name_plural = _("merges of officials")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.kept_id}"
