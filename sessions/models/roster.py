"""A body's roster: the members it summons to its conferences, kept from one session to the next.

A session's summoned list can be filled from it (replace or append, like a file import) and
saved back to it; the roster itself holds names and units only, like the voter list.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Organization


class RosterMember(models.Model):
    """One member of a body, in the order the body lists them."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="roster",
    )
    number = models.PositiveIntegerField(_("no."))
    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.CharField(_("position or unit"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("roster member")
        verbose_name_plural = _("roster members")
        ordering = ["organization", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="roster_number_unique"),
            models.UniqueConstraint(
                fields=["organization", "full_name", "unit"], name="roster_member_once"
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="roster_name_not_empty"),
            models.CheckConstraint(condition=Q(number__gte=1), name="roster_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.unit})" if self.unit else self.full_name
