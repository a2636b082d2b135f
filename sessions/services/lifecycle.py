"""Sessions: create, edit, draft ⇄ ready."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from ..models import (
    Organization,
    VotingSession,
)
from ..regimes import default_scope
from ..selectors import readiness_blockers, voter_list_fingerprint
from .common import (
    MSG_ALREADY_OPENED,
    MSG_NOT_READY,
    Status,
    _fail,
    _json,
    _lock,
    _lock_draft,
    audit_record,
)

# --- Sessions ---------------------------------------------------------------------------------

SESSION_FIELDS = (
    "title",
    "subject",
    "date",
    "start_time",
    "place",
    "regime",
    "procedure",
    "mode",
    "scope",
)


@transaction.atomic(durable=True)
def session_create(
    *, actor: AbstractBaseUser, organization: Organization, **fields: Any
) -> VotingSession:
    """Create a draft session; the scope defaults by regime."""
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    if not values.get("scope"):
        values["scope"] = default_scope(values.get("regime", ""))
    session = VotingSession(organization=organization, **values)
    session.full_clean()
    session.save()
    audit_record(
        session=session,
        actor=actor,
        action="session_created",
        **{k: _json(v) for k, v in values.items()},
    )
    return session


@transaction.atomic(durable=True)
def session_update(*, actor: AbstractBaseUser, session: VotingSession, **fields: Any) -> None:
    """Change a draft session's details (an empty scope takes the regime's default); audited."""
    locked = _lock_draft(session)
    if "scope" in fields and not fields["scope"]:
        fields["scope"] = default_scope(fields.get("regime", locked.regime))
    changed = {}
    for key in SESSION_FIELDS:
        if key in fields and getattr(locked, key) != fields[key]:
            changed[key] = _json(fields[key])
            setattr(locked, key, fields[key])
    if not changed:
        return
    locked.full_clean()
    locked.save(update_fields=[*changed])
    audit_record(session=locked, actor=actor, action="session_updated", **changed)


@transaction.atomic(durable=True)
def session_mark_ready(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Freeze the lists and fix the voter list fingerprint. Returns False if already ready."""
    locked = _lock(session)
    if locked.status == Status.READY:
        return False  # a double click: the first one won, nothing more to do
    if locked.status != Status.DRAFT:
        raise _fail(MSG_ALREADY_OPENED, "not_draft")
    blockers = readiness_blockers(locked)
    if blockers:
        raise _fail(
            MSG_NOT_READY,
            "not_ready",
            problems="; ".join(str(check.label) for check in blockers),
        )
    fingerprint = voter_list_fingerprint(locked.voters.order_by("number"))
    updated = VotingSession.objects.filter(pk=locked.pk, status=Status.DRAFT).update(
        status=Status.READY, voter_list_sha256=fingerprint, ready_count=F("ready_count") + 1
    )
    assert updated == 1  # the row is locked; anything else is a bug
    audit_record(
        session=locked,
        actor=actor,
        action="session_ready",
        voter_list_sha256=fingerprint,
        voters=locked.voters.count(),
        candidates=locked.candidates.filter(excluded=False).count(),
    )
    session.refresh_from_db(fields=["status", "voter_list_sha256", "ready_count"])
    return True


@transaction.atomic(durable=True)
def session_back_to_draft(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Reopen the lists for editing, allowed until voting opens. False if already a draft."""
    locked = _lock(session)
    if locked.status == Status.DRAFT:
        return False
    if locked.status != Status.READY:
        raise _fail(MSG_ALREADY_OPENED, "already_open")
    VotingSession.objects.filter(pk=locked.pk, status=Status.READY).update(
        status=Status.DRAFT, voter_list_sha256=""
    )
    audit_record(
        session=locked,
        actor=actor,
        action="session_back_to_draft",
        voided_fingerprint=locked.voter_list_sha256,
    )
    session.status, session.voter_list_sha256 = Status.DRAFT, ""
    return True
