"""Sessions: create (a draft, or a counted one for an imported tally), edit, draft ⇄ ready."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from ..models import (
    Candidate,
    Official,
    Organization,
    VotingSession,
)
from ..regimes import default_scope
from ..selectors import readiness_blockers, voter_list_fingerprint
from .committee import committee_member_build
from .common import (
    MSG_ALREADY_OPENED,
    MSG_NOT_READY,
    Status,
    _json,
    audit_record,
    lock_session,
    refuse,
)
from .transitions import session_new, session_transition

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
    return session_draft(actor=actor, organization=organization, **fields)


@transaction.atomic
def session_draft(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> VotingSession:
    """`session_create` in the caller's transaction (a campaign creates a body's session and
    links it in one); `detail` adds to the audit event."""
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    if not values.get("scope"):
        values["scope"] = default_scope(values.get("regime", ""))
    session = session_new(status=Status.DRAFT, organization=organization, **values)
    session.full_clean()
    session.save()
    audit_record(
        session=session,
        actor=actor,
        action="session_created",
        **{k: _json(v) for k, v in values.items()},
        **(detail or {}),
    )
    return session


# What a counted session (closed, not yet certified) may still correct before the minutes freeze:
# the words and the time and place they print, never the rules it was counted under.
COUNTED_FIELDS = ("title", "subject", "date", "start_time", "place")

MSG_NOT_EDITABLE = gettext_noop(
    "Only a draft session can be edited, and a counted one until its results are certified."
)


def _clean(session: VotingSession) -> None:
    """full_clean, except that a counted session may not know its place: an imported tally
    often does not say where it was counted, and the minutes then leave the place out rather
    than print a placeholder."""
    exclude = ["place"] if session.is_counted and not session.place else None
    session.full_clean(exclude=exclude)


@transaction.atomic
def session_create_counted(
    *,
    organization: Organization,
    lines: list[tuple[str, str]],
    committee: Iterable[tuple[str, str, str]] = (),
    officials: Sequence[Official | None] = (),
    **fields: Any,
) -> tuple[VotingSession, list[Candidate]]:
    """Create a session that starts life already counted (closed): a paper tally imported from
    a file. Each line (full name, position) becomes, in that order, a candidate: of the
    official given at the same place in `officials` (one of this body's, found by the import's
    name matching), or of a new official where there is none; the scope defaults by regime.
    There is no voter list, so it is frozen empty.
    `committee` (full name, unit, role) is checked as the committee tab checks it.

    Runs inside the caller's transaction, which stores the counts and records the audit event.
    """
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    if not values.get("scope"):
        values["scope"] = default_scope(values.get("regime", ""))
    session = session_new(
        status=Status.CLOSED,
        organization=organization,
        ready_count=1,
        voter_list_sha256=voter_list_fingerprint([]),
        **values,
    )
    _clean(session)
    session.save()
    candidates = []
    links = list(officials) or [None] * len(lines)
    for order, ((full_name, position), official) in enumerate(zip(lines, links, strict=True), 1):
        if official is None:
            official = Official.objects.create(
                organization=organization, full_name=full_name, positions=position
            )
        elif official.organization_id != organization.pk:
            raise ValueError("an imported line is linked to another body's official")
        candidates.append(
            Candidate.objects.create(
                session=session, official=official, position=position, order=order
            )
        )
    for full_name, unit, role in committee:
        committee_member_build(session=session, full_name=full_name, unit=unit, role=role).save()
    return session, candidates


@transaction.atomic(durable=True)
def session_update(*, actor: AbstractBaseUser, session: VotingSession, **fields: Any) -> None:
    """Change a draft session's details (an empty scope takes the regime's default), or a counted
    one's COUNTED_FIELDS until it is certified; audited."""
    locked = lock_session(session)
    if locked.is_draft:
        allowed = SESSION_FIELDS
    elif locked.is_closed:
        allowed = COUNTED_FIELDS
    else:
        raise refuse(MSG_NOT_EDITABLE, "not_draft")
    if "scope" in fields and not fields["scope"]:
        fields["scope"] = default_scope(fields.get("regime", locked.regime))
    changed = {}
    for key in allowed:
        if key in fields and getattr(locked, key) != fields[key]:
            changed[key] = _json(fields[key])
            setattr(locked, key, fields[key])
    if not changed:
        return
    _clean(locked)
    locked.save(update_fields=[*changed])
    audit_record(session=locked, actor=actor, action="session_updated", **changed)


@transaction.atomic(durable=True)
def session_mark_ready(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Freeze the lists and fix the voter list fingerprint. Returns False if already ready."""
    locked = lock_session(session)
    if locked.is_ready:
        return False  # a double click: the first one won, nothing more to do
    if not locked.is_draft:
        raise refuse(MSG_ALREADY_OPENED, "not_draft")
    blockers = readiness_blockers(locked)
    if blockers:
        raise refuse(
            MSG_NOT_READY,
            "not_ready",
            problems="; ".join(str(check.label) for check in blockers),
        )
    fingerprint = voter_list_fingerprint(locked.voters.order_by("number"))
    session_transition(
        locked,
        Status.READY,
        also=session,
        voter_list_sha256=fingerprint,
        ready_count=F("ready_count") + 1,
    )
    audit_record(
        session=locked,
        actor=actor,
        action="session_ready",
        voter_list_sha256=fingerprint,
        voters=locked.voters.count(),
        candidates=locked.candidates.on_ballot().count(),
    )
    return True


@transaction.atomic(durable=True)
def session_back_to_draft(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """Reopen the lists for editing, allowed until voting opens. False if already a draft."""
    locked = lock_session(session)
    if locked.is_draft:
        return False
    if not locked.is_ready:
        raise refuse(MSG_ALREADY_OPENED, "already_open")
    voided = locked.voter_list_sha256
    session_transition(locked, Status.DRAFT, also=session, voter_list_sha256="")
    audit_record(
        session=locked,
        actor=actor,
        action="session_back_to_draft",
        voided_fingerprint=voided,
    )
    return True
