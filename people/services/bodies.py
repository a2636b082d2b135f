"""Bodies below an administrator's own: created and changed, each change in RegistryEvent.

A body's name and the heading of its documents freeze once it has a certified session
(sessions.services.registry says why); that refusal comes from `organization_save`.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_noop

from sessions.models import Organization
from sessions.services import organization_save, refuse

from ..access import administered_ids
from .accounts import _check_body

# What heads every document of a body's subtree: changed from the level above.
HEADING_FIELDS = frozenset({"name", "kind", "document_name"})


def _top_of_reach(actor: AbstractBaseUser, body: Organization) -> bool:
    ids = administered_ids(actor)
    return ids is not None and (body.parent_id is None or body.parent_id not in ids)


# What an administrator edits of a body (the rest stays with support staff, in the admin).
BODY_FIELDS = ("name", "kind", "document_name", "locality", "abbreviation", "member_noun")

MSG_NAME_TAKEN = gettext_noop("A body named %(name)s already exists.")
MSG_TOP_BODY = gettext_noop(
    "%(body)s is at the top of what you administer: its name, kind and name on documents are "
    "changed by the level above, or by support staff."
)


def _check_name(name: str, pk: int | None) -> None:
    taken = Organization.objects.filter(name__iexact=name).exclude(pk=pk)
    if taken.exists():
        raise refuse(MSG_NAME_TAKEN, "name_taken", name=name)


@transaction.atomic(durable=True)
def body_create(
    *, actor: AbstractBaseUser, parent: Organization, name: str, kind: str, **fields: str
) -> Organization:
    """Create a body directly below one the actor administers."""
    _check_body(actor, parent)
    name = " ".join(name.split())
    _check_name(name, None)
    body = Organization(parent=parent, name=name, kind=kind, **fields)
    return organization_save(actor=actor, organization=body)


@transaction.atomic(durable=True)
def body_update(*, actor: AbstractBaseUser, body: Organization, **values: str) -> Organization:
    """Rename a body or change its kind and document fields (only those that differ). The name,
    kind and document name of the top of an administrator's reach are changed from above (or
    by support staff): they head every document of its subtree."""
    _check_body(actor, body)
    locked = Organization.objects.select_for_update().get(pk=body.pk)
    if "name" in values:
        values["name"] = " ".join(values["name"].split())
        _check_name(values["name"], locked.pk)
    changed = [f for f in BODY_FIELDS if f in values and getattr(locked, f) != values[f]]
    if HEADING_FIELDS.intersection(changed) and _top_of_reach(actor, locked):
        raise refuse(MSG_TOP_BODY, "top_body", body=locked.name)
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        organization_save(actor=actor, organization=locked, fields=changed)
    return locked
