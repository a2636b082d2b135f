"""Officials and organizations: every change recorded, and a certified record's names fixed.

Refuse, not version. A certified session keeps its own copy of every name it shows (the frozen
results document and the minutes), so versioning would change nothing there; what the live
`Official` still does is tie a person's history across sessions together and put them on the
next ballot. Renaming a person who is on a certified record, moving them to another body, or
swapping two people's names would silently re-attribute that history (the official's page,
its links, the leader's overview). A real change of name is rare and is a new fact: add a new
official for later sessions, and the old record keeps the name it was certified with. The
same holds for an organization's name and the heading its documents print. What no record
shows may change, and is recorded: an official's current posts (each ballot line keeps its own
position), an organization's parent and its members.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_noop

from ..models import (
    CERTIFIED,
    IN_PROGRESS,
    Candidate,
    Official,
    Organization,
    RegistryEvent,
    VotingSession,
)
from .common import refuse

Action = RegistryEvent.Action

# What a certified record shows of a person, and of a body (its name and its documents' heading).
OFFICIAL_RECORD_FIELDS = frozenset({"full_name", "organization"})
ORGANIZATION_RECORD_FIELDS = frozenset(
    {"name", "kind", "document_name", "national_heading", "motto", "locality"}
)

MSG_OFFICIAL_ON_RECORD = gettext_noop(
    "%(name)s is on the record of a certified session: the name and the organization can no "
    "longer change. For a real change of name, add a new official for later sessions."
)
MSG_OFFICIAL_ON_BALLOT = gettext_noop(
    "%(name)s is on the list of a session that is ready, open or being counted: the name and "
    "the organization cannot change until it is certified, or the ballot and the minutes would "
    "disagree."
)
MSG_ORGANIZATION_ON_RECORD = gettext_noop(
    "%(name)s has certified sessions: its name, kind and the heading of its documents can no "
    "longer change."
)


def _any_on_record(sessions: QuerySet[VotingSession]) -> bool:
    """Lock the sessions, so none is certified meanwhile, and say whether any already is.

    Certification locks its session row before it re-reads the names it freezes; taking the
    same locks here orders the two: either the change waits and then sees "certified", or
    certification waits, sees the new name, and asks the committee to try again.
    """
    return bool(_locked_statuses(sessions) & set(CERTIFIED))


def _locked_statuses(sessions: QuerySet[VotingSession]) -> set[str]:
    locked = sessions.select_for_update(no_key=True).order_by("pk")
    return set(locked.values_list("status", flat=True))


@transaction.atomic
def official_check_change(*, official: Official, fields: Iterable[str]) -> None:
    """Refuse changing the name or organization of a person on a certified record."""
    if official.pk is None or not OFFICIAL_RECORD_FIELDS & set(fields):
        return
    rated_in = Candidate.objects.filter(official_id=official.pk).values("session_id")
    statuses = _locked_statuses(VotingSession.objects.filter(pk__in=rated_in))
    stored = Official.objects.filter(pk=official.pk).values_list("full_name", flat=True)
    if statuses & set(CERTIFIED):
        raise refuse(MSG_OFFICIAL_ON_RECORD, "on_record", name=stored.first())
    if statuses & set(IN_PROGRESS):
        raise refuse(MSG_OFFICIAL_ON_BALLOT, "on_ballot", name=stored.first())


@transaction.atomic
def organization_check_change(*, organization: Organization, fields: Iterable[str]) -> None:
    """Refuse changing the name or document heading of a body with certified sessions."""
    if organization.pk is None or not ORGANIZATION_RECORD_FIELDS & set(fields):
        return
    if _any_on_record(VotingSession.objects.filter(organization_id=organization.pk)):
        stored = Organization.objects.filter(pk=organization.pk).values_list("name", flat=True)
        raise refuse(MSG_ORGANIZATION_ON_RECORD, "on_record", name=stored.first())


def _subject(obj: Model) -> str:
    if isinstance(obj, Official):
        return RegistryEvent.Subject.OFFICIAL
    if isinstance(obj, Organization):
        return RegistryEvent.Subject.ORGANIZATION
    raise TypeError(f"no registry for {type(obj).__name__}")


def _values(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: obj.serializable_value(name) for name in sorted(fields)}


def _fields(obj: Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key]


def registry_record(
    *,
    actor: AbstractBaseUser,
    obj: Official | Organization,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> RegistryEvent:
    """Append one event, inside the caller's transaction."""
    return RegistryEvent.objects.create(
        actor=actor,
        subject=_subject(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        action=action,
        before=before or {},
        after=after or {},
        note=note[:500],
    )


# Not durable: the admin runs its change form in a transaction of its own, and these are called
# from inside it (a durable block would refuse to nest). They are atomic on their own too.


def _save(
    *, actor: AbstractBaseUser, obj: Official | Organization, fields: Iterable[str] | None
) -> None:
    if obj.pk is None:
        obj.full_clean()
        obj.save()
        registry_record(actor=actor, obj=obj, action=Action.ADDED, after=_values(obj, _fields(obj)))
        return
    changed = set(_fields(obj) if fields is None else fields)
    if isinstance(obj, Official):
        official_check_change(official=obj, fields=changed)
    else:
        organization_check_change(organization=obj, fields=changed)
    before = type(obj).objects.filter(pk=obj.pk).values(*changed).first() if changed else {}
    obj.full_clean()
    obj.save()
    if changed:
        registry_record(
            actor=actor,
            obj=obj,
            action=Action.CHANGED,
            before=before,
            after=_values(obj, changed),
        )


@transaction.atomic
def official_save(
    *, actor: AbstractBaseUser, official: Official, fields: Iterable[str] | None = None
) -> Official:
    """Add an official, or change the given fields of one; recorded. See the module's rule."""
    _save(actor=actor, obj=official, fields=fields)
    return official


@transaction.atomic
def organization_save(
    *, actor: AbstractBaseUser, organization: Organization, fields: Iterable[str] | None = None
) -> Organization:
    """Add an organization, or change the given fields of one; recorded. See the module's rule."""
    _save(actor=actor, obj=organization, fields=fields)
    return organization


@transaction.atomic
def registry_delete(*, actor: AbstractBaseUser, obj: Official | Organization) -> None:
    """Delete an official or organization nothing refers to (PROTECT stops the rest); recorded."""
    registry_record(actor=actor, obj=obj, action=Action.DELETED, before=_values(obj, _fields(obj)))
    obj.delete()
