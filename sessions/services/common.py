"""What the session services share: messages, locking, and the audit chain."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..audit_keys import current_key
from ..models import (
    AuditEvent,
    Organization,
    VotingSession,
)

Status = VotingSession.Status

MSG_NOT_DRAFT = gettext_noop("The lists are frozen: this session is no longer a draft.")
MSG_RATED_ON_COMMITTEE = gettext_noop(
    "%(name)s is rated in this session and cannot sit on its committee."
)
MSG_ON_COMMITTEE = gettext_noop(
    "%(name)s sits on this session's counting committee and cannot be rated in it."
)
MSG_OFFICIAL_TWICE = gettext_noop("%(name)s is already on this session's list.")
MSG_SECOND_HEAD = gettext_noop("The committee already has a head (%(name)s).")
MSG_DUPLICATE_VOTER = gettext_noop("%(name)s is already on the list of summoned voters.")
MSG_DUPLICATE_MEMBER = gettext_noop("%(name)s is already on the committee.")
MSG_NOT_READY = gettext_noop("The session cannot be made ready yet: %(problems)s")
MSG_ALREADY_OPENED = gettext_noop("Voting has already opened; the lists can no longer be changed.")
MSG_WRONG_ORGANIZATION = gettext_noop("The official belongs to another organization.")


def refuse(message: str, code: str, **params: Any) -> ValidationError:
    """The error a service raises to refuse a request: `message` (a gettext_noop constant)
    translated, a `code` tests and views can match, and the message's %-parameters.

    Every app's services use it: `raise refuse(MSG_NOT_OPEN, "not_open")`.
    """
    return ValidationError(_(message), code=code, params=params or None)


def audit_record(
    *, session: VotingSession, actor: AbstractBaseUser, action: str, **detail: Any
) -> AuditEvent:
    """Append one event to the session's keyed hash chain, inside the transaction of the change.

    The session row is locked (callers lock it first; locking again is harmless), so two
    events of one session never race for the same previous link.
    """
    VotingSession.objects.select_for_update(no_key=True).filter(pk=session.pk).values_list(
        "pk"
    ).first()
    previous = (
        AuditEvent.objects.filter(session=session).order_by("-pk").values_list("hash", flat=True)
    ).first()
    key = current_key()
    event = AuditEvent(
        session=session,
        actor=actor,
        action=action,
        # Round-trip through JSON so the hash covers exactly what the database stores.
        detail=json.loads(json.dumps(detail, default=str)),
        created_at=timezone.now(),
        prev_hash=previous or "",
        key_id=key.id,
    )
    event.hash = event.compute_hash(key)
    event.save(force_insert=True)
    return event


def lock_session(session: VotingSession) -> VotingSession:
    """Re-read the session row locked for the rest of the transaction; check its state on the
    returned instance, never on the caller's (which was read without a lock).

    FOR NO KEY UPDATE, not FOR UPDATE: a cast's ballot row checks its foreign key to the
    session at COMMIT with FOR KEY SHARE, which FOR UPDATE would block. Closing holds the
    session and then waits for each code row a cast holds: with FOR UPDATE the two deadlock.
    """
    return VotingSession.objects.select_for_update(no_key=True).get(pk=session.pk)


def _lock_draft(session: VotingSession) -> VotingSession:
    locked = lock_session(session)
    if not locked.is_draft:
        raise refuse(MSG_NOT_DRAFT, "not_draft")
    return locked


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Organization):
        return value.pk
    return value
