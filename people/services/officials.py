"""The officials registry: add, change, posts held, import, and merging duplicates.

Names and bodies of people on a certified record cannot change (sessions.services.registry);
a merge moves candidacies instead, and is recorded twice: an OfficialMerge (what moved where)
and the duplicate's deletion in RegistryEvent. A certified session keeps the name it was
certified with (its frozen result); results.frozen follows the merge to link its lines to the
official kept (people.selectors.merged_official_ids).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_noop

from sessions.models import IN_PROGRESS, Candidate, Official, Organization, RegistryEvent
from sessions.selectors import normalize_name
from sessions.services import official_save, refuse, registry_record

from ..access import registry_ids
from ..imports import OfficialRow
from ..models import OfficialMerge, Position
from ..selectors import search_keys_refresh

OFFICIAL_FIELDS = ("full_name", "positions", "birth_year")

MSG_REGISTRY_OUT_OF_REACH = gettext_noop("You do not keep the officials of %(body)s.")
MSG_MERGE_ACROSS_BODIES = gettext_noop(
    "%(kept)s and %(merged)s belong to different bodies: only duplicates within one body merge."
)
MSG_MERGE_ITSELF = gettext_noop("Choose another official to merge into this one.")
MSG_MERGE_SAME_SESSION = gettext_noop(
    "%(kept)s and %(merged)s are both on the list of “%(session)s”: they are two people, not a "
    "duplicate."
)
MSG_MERGE_RUNNING = gettext_noop(
    "%(merged)s is on the list of “%(session)s”, which is ready, open or being counted: merge "
    "after it is certified."
)
MSG_ALREADY_IN_REGISTRY = gettext_noop(
    "%(name)s is already in the registry of %(body)s (row %(row)d)."
)


def _check_reach(actor: AbstractBaseUser, organization_id: int) -> None:
    ids = registry_ids(actor)
    if ids is not None and organization_id not in ids:
        body = Organization.objects.filter(pk=organization_id).values_list("name", flat=True)
        raise refuse(MSG_REGISTRY_OUT_OF_REACH, "out_of_reach", body=body.first())


@transaction.atomic(durable=True)
def official_create(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    full_name: str,
    positions: str,
    birth_year: int | None = None,
) -> Official:
    """Add an official to a body's registry (recorded)."""
    _check_reach(actor, organization.pk)
    official = Official(
        organization=organization,
        full_name=" ".join(full_name.split()),
        positions=positions.strip(),
        birth_year=birth_year,
    )
    official_save(actor=actor, official=official)
    search_keys_refresh(Official.objects.filter(pk=official.pk))
    return official


@transaction.atomic(durable=True)
def official_update(*, actor: AbstractBaseUser, official: Official, **values: object) -> Official:
    """Change an official's name, posts or year of birth (only what differs; recorded)."""
    _check_reach(actor, official.organization_id)
    locked = Official.objects.select_for_update().get(pk=official.pk)
    if isinstance(values.get("full_name"), str):
        values["full_name"] = " ".join(str(values["full_name"]).split())
    changed = [f for f in OFFICIAL_FIELDS if f in values and getattr(locked, f) != values[f]]
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        official_save(actor=actor, official=locked, fields=changed)
        search_keys_refresh(Official.objects.filter(pk=locked.pk))
    return locked


@transaction.atomic(durable=True)
def position_add(
    *,
    actor: AbstractBaseUser,
    official: Official,
    title: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> Position:
    """Record a post the official holds or held, from the day elected or appointed."""
    _check_reach(actor, official.organization_id)
    position = Position(official=official, title=title.strip(), started_on=started_on)
    position.ended_on = ended_on
    position.full_clean()
    position.save()
    registry_record(
        actor=actor,
        obj=official,
        action=RegistryEvent.Action.CHANGED,
        after={"position": position.title, "started_on": started_on.isoformat()},
        note="position added",
    )
    return position


@transaction.atomic(durable=True)
def position_remove(*, actor: AbstractBaseUser, position: Position) -> None:
    official = position.official
    _check_reach(actor, official.organization_id)
    registry_record(
        actor=actor,
        obj=official,
        action=RegistryEvent.Action.CHANGED,
        before={"position": position.title, "started_on": position.started_on.isoformat()},
        note="position removed",
    )
    position.delete()


@transaction.atomic(durable=True)
def official_merge(*, actor: AbstractBaseUser, kept: Official, merged: Official) -> OfficialMerge:
    """Merge a duplicate into the official kept: every candidacy and post moves, the duplicate
    goes, and the merge is recorded. Only within one body; never two people of one list."""
    if kept.pk == merged.pk:
        raise refuse(MSG_MERGE_ITSELF, "itself")
    # Both rows locked, in id order, so two merges of the same pair cannot interleave.
    locked = {
        o.pk: o
        for o in Official.objects.select_for_update()
        .filter(pk__in=[kept.pk, merged.pk])
        .order_by("pk")
    }
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.organization_id != merged.organization_id:
        raise refuse(
            MSG_MERGE_ACROSS_BODIES, "across_bodies", kept=kept.full_name, merged=merged.full_name
        )
    _check_reach(actor, kept.organization_id)
    shared = (
        Candidate.objects.filter(official=kept, session__candidates__official=merged)
        .select_related("session")
        .first()
    )
    if shared is not None:
        raise refuse(
            MSG_MERGE_SAME_SESSION,
            "same_session",
            kept=kept.full_name,
            merged=merged.full_name,
            session=shared.session.title,
        )
    # Moving a candidacy renames the person on that session's list: not on a ballot that is
    # ready, open or being counted (certified records keep their frozen names).
    running = (
        Candidate.objects.filter(official=merged, session__status__in=IN_PROGRESS)
        .select_related("session")
        .first()
    )
    if running is not None:
        raise refuse(
            MSG_MERGE_RUNNING, "running", merged=merged.full_name, session=running.session.title
        )
    moved = list(Candidate.objects.filter(official=merged).values_list("pk", "session_id"))
    Candidate.objects.filter(official=merged).update(official=kept)
    Position.objects.filter(official=merged).update(official=kept)
    record = OfficialMerge.objects.create(
        actor=actor,
        kept=kept,
        merged_id=merged.pk,
        merged={
            "full_name": merged.full_name,
            "positions": merged.positions,
            "birth_year": merged.birth_year,
        },
        candidacies=[{"candidate": pk, "session": session} for pk, session in moved],
    )
    # Chains of merges: what pointed at the duplicate now points at the one kept.
    OfficialMerge.objects.filter(kept=merged).update(kept=kept)
    registry_record(
        actor=actor,
        obj=merged,
        action=RegistryEvent.Action.DELETED,
        before=record.merged,
        note=f"merged into #{kept.pk} {kept.full_name}",
    )
    merged.delete()
    return record


@transaction.atomic(durable=True)
def officials_import(
    *, actor: AbstractBaseUser, organization: Organization, rows: Iterable[OfficialRow]
) -> int:
    """Add every row of a checked file to a body's registry, or none: a name already there
    refuses the whole file (merge or remove the row first)."""
    _check_reach(actor, organization.pk)
    rows = list(rows)
    known = {
        normalize_name(name): name
        for name in Official.objects.filter(organization=organization).values_list(
            "full_name", flat=True
        )
    }
    for row in rows:
        if normalize_name(row.full_name) in known:
            raise refuse(
                MSG_ALREADY_IN_REGISTRY,
                "duplicate",
                name=row.full_name,
                body=organization.name,
                row=row.line,
            )
    for row in rows:
        official = Official(
            organization=organization,
            full_name=row.full_name,
            positions=row.positions,
            birth_year=row.birth_year,
        )
        official_save(actor=actor, official=official)
        if row.started_on is not None:
            Position.objects.create(
                official=official, title=row.positions, started_on=row.started_on
            )
    search_keys_refresh(Official.objects.filter(organization=organization))
    return len(rows)
