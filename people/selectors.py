"""Reads of the people app: the body tree, accounts with their roles, the officials registry
(its diacritic-insensitive search), and the "elected or appointed this year" proposal."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Field, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.models import (
    Candidate,
    Membership,
    Official,
    Organization,
    RegistryEvent,
    VotingSession,
)
from sessions.proposals import Proposal

from .models import OfficialMerge, OfficialSearch, Position

# --- Search keys ------------------------------------------------------------------------------


def search_key(text: str) -> str:
    """Text folded for search: NFC, case-folded, đ → d, diacritics dropped, spaces collapsed.

    "Trần Văn Tuấn", "TRAN VAN TUAN" and "tran  van tuấn" all give "tran van tuan".
    """
    folded = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return " ".join(bare.split())


def _official_key(official: Official) -> str:
    return search_key(f"{official.full_name} {official.positions}")[:460]


def search_keys_refresh(officials: QuerySet[Official]) -> int:
    """Bring the search keys of these officials up to date; how many were (re)made.

    One query finds the officials without a key or whose name or posts changed since theirs
    was made (officials are also created and renamed outside this app); they are rare.
    """
    stale = list(
        officials.filter(
            Q(search__isnull=True)
            | ~Q(search__full_name=F("full_name"))
            | ~Q(search__positions=F("positions"))
        ).only("pk", "full_name", "positions")
    )
    for official in stale:
        OfficialSearch.objects.update_or_create(
            official=official,
            defaults={
                "full_name": official.full_name,
                "positions": official.positions,
                "key": _official_key(official),
            },
        )
    return len(stale)


def officials_matching(officials: QuerySet[Official], query: str) -> QuerySet[Official]:
    """Officials whose name or posts contain every word of the query, diacritics ignored."""
    search_keys_refresh(officials)
    for word in search_key(query).split():
        officials = officials.filter(search__key__contains=word)
    return officials.select_related("organization").order_by("full_name", "pk")


# --- Bodies and accounts ----------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRow:
    body: Organization
    depth: int


def body_tree(bodies: QuerySet[Organization]) -> list[BodyRow]:
    """The bodies as an indented tree: each under its parent when the parent is among them."""
    items = list(bodies.order_by("name"))
    present = {b.pk for b in items}
    children: dict[int | None, list[Organization]] = {}
    for body in items:
        parent = body.parent_id if body.parent_id in present else None
        children.setdefault(parent, []).append(body)
    rows: list[BodyRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for body in children.get(parent, []):
            rows.append(BodyRow(body, depth))
            walk(body.pk, depth + 1)

    walk(None, 0)
    return rows


def accounts_with_roles(accounts: QuerySet[AbstractUser]) -> QuerySet[AbstractUser]:
    memberships = Membership.objects.select_related("organization").order_by(
        "organization__name", "role"
    )
    return accounts.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by(
        "first_name", "username"
    )


def body_memberships(body: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=body)
        .select_related("user")
        .order_by("role", "user__first_name", "user__username")
    )


# --- Officials --------------------------------------------------------------------------------


def official_candidacies(official: Official) -> QuerySet[Candidate]:
    return (
        Candidate.objects.filter(official=official)
        .select_related("session")
        .order_by("-session__date", "-session__pk")
    )


def exclusion_for_new_position(session: VotingSession, official: Official) -> Proposal | None:
    """Not rated: elected or appointed in the year of the rating (domain.md, "Not rated").

    Proposed when one of the official's posts started in the year of the session's date.
    """
    if official.pk is None or session.date is None:
        return None
    position = (
        Position.objects.filter(official=official, started_on__year=session.date.year)
        .order_by("-started_on")
        .first()
    )
    if position is None:
        return None
    return Proposal(
        reason=Candidate.ExclusionReason.NEWLY_APPOINTED,
        note=_("%(position)s since %(date)s")
        % {"position": position.title, "date": date_format(position.started_on, "d/m/Y")},
    )


def merged_official_ids() -> dict[int, int]:
    """Each merged-away official's id → the id of the official kept (chains already followed:
    a merge into an official later merged itself points at the last one kept)."""
    return dict(OfficialMerge.objects.values_list("merged_id", "kept_id"))


# --- A body's change log ----------------------------------------------------------------------

_ROSTER_LABELS = {
    "roster_added": gettext_lazy("added to the roster"),
    "roster_removed": gettext_lazy("removed from the roster"),
    "roster": gettext_lazy("members on the roster"),
}


def _change_value(field: Field | None, value: Any, names: dict[int, str]) -> str:
    if field is not None and field.name == "parent":
        return names.get(value, str(value)) if value is not None else "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def body_changes(events: Iterable[RegistryEvent]) -> list[tuple[RegistryEvent, list[tuple]]]:
    """Each event of a body's log with its changes as (label, value) pairs in the reader's
    language: the field's own name (verbose_name), a choice's label, the parent body's name.
    What an event added or set is shown; what it only took away (a roster member removed), too."""
    events = list(events)
    parents = {
        value
        for event in events
        for key, value in (event.after or event.before).items()
        if key == "parent" and isinstance(value, int)
    }
    names = dict(Organization.objects.filter(pk__in=parents).values_list("pk", "name"))
    rows = []
    for event in events:
        changes = []
        for key, value in (event.after or event.before).items():
            try:
                field = Organization._meta.get_field(key)
            except FieldDoesNotExist:
                field = None
            label = field.verbose_name if field is not None else _ROSTER_LABELS.get(key, key)
            changes.append((str(label), _change_value(field, value, names)))
        rows.append((event, changes))
    return rows
