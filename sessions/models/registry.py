"""Organizations, officials, and the record of changes to them (they outlive sessions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", _("Party body")
        STATE = "state", _("State body")
        MASS = "mass", _("Mass organization")

    # What the right-hand column of a document's heading prints, by kind of body (domain.md).
    DEFAULT_HEADINGS = {
        Kind.PARTY: ("ĐẢNG CỘNG SẢN VIỆT NAM", ""),
        Kind.STATE: ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
        # domain.md, minutes point 1: "a State body or a mass organization prints CỘNG HÒA XÃ
        # HỘI CHỦ NGHĨA VIỆT NAM over Độc lập - Tự do - Hạnh phúc".
        Kind.MASS: ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
    }

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    document_name = models.CharField(
        _("name on documents"),
        max_length=300,
        blank=True,
        help_text=_(
            "Left column of the heading, one line per row, e.g. "
            "'HỘI CỰU CHIẾN BINH VIỆT NAM / HỘI CCB TỈNH BẮC KẠN'. Empty: the name in capitals."
        ),
    )
    national_heading = models.CharField(
        _("national heading"),
        max_length=200,
        blank=True,
        help_text=_("Right column of the heading. Empty: the default for the kind of body."),
    )
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    locality = models.CharField(
        _("locality"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the date on documents, e.g. 'Bắc Kạn'."),
    )

    abbreviation = models.CharField(
        _("abbreviation on document numbers"),
        max_length=20,
        blank=True,
        help_text=_("A Party body's documents are numbered 'Số …-BB/<abbreviation>'."),
    )
    member_noun = models.CharField(
        _("members called"),
        max_length=200,
        blank=True,
        help_text=_(
            "How the minutes name the people summoned, e.g. 'đại biểu Hội đồng nhân dân tỉnh'. "
            "Empty: 'người được triệu tập'."
        ),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["party", "state", "mass"]), name="organization_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organization_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def heading(self) -> tuple[str, str]:
        """The national heading and motto its documents print."""
        default_heading, default_motto = self.DEFAULT_HEADINGS[self.Kind(self.kind)]
        if self.national_heading:
            return self.national_heading, self.motto
        return default_heading, self.motto or default_motto

    def document_name_lines(self) -> list[str]:
        source = self.document_name or self.name.upper()
        return [line.strip() for line in source.split("/") if line.strip()]

    def ancestor_ids(self) -> list[int]:
        """Ids of the organizations above this one, nearest first (guards against cycles)."""
        ids: list[int] = []
        node = self.parent
        while node is not None and node.pk not in ids and node.pk != self.pk:
            ids.append(node.pk)
            node = node.parent
        return ids


class Membership(models.Model):
    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        COMMITTEE = "committee", _("Counting committee")
        LEADER = "leader", _("Leader")
        # Manages the body and every body below it: bodies, accounts, roles, officials (people/).
        ADMIN = "admin", _("Organization administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["secretariat", "committee", "leader", "admin"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


class Official(models.Model):
    """A person who can be rated; the same person is rated in many sessions over the years."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="officials",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    positions = models.CharField(
        _("position(s)"),
        max_length=300,
        help_text=_("All posts held, separated by semicolons; the person is rated once."),
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(condition=~Q(full_name=""), name="official_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.positions})"


class RegistryEvent(models.Model):
    """Append-only record of a change to an official or an organization: who, what, when.

    Audit events belong to one session's chain; officials and organizations outlive sessions
    (and change through the support staff's admin), so their changes are recorded here, with
    the changed fields before and after. Never changed or deleted (read-only in the admin).
    """

    class Subject(models.TextChoices):
        OFFICIAL = "official", _("Official")
        ORGANIZATION = "organization", _("Organization")

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("record"), max_length=12, choices=Subject)
    object_id = models.PositiveIntegerField(_("record id"))
    object_repr = models.CharField(_("name"), max_length=300)
    action = models.CharField(_("action"), max_length=7, choices=Action)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("registry event")
        verbose_name_plural = _("registry events")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=["official", "organization"]),
                name="registry_event_subject_valid",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["added", "changed", "deleted"]),
                name="registry_event_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
