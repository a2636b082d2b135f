"""The session's life cycle: the one place where `VotingSession.status` is written.

    draft ⇄ ready → open → closed → certified ⇄ published
    (new) → draft                  a session prepared in the browser
    (new) → closed                 a paper tally imported from a file: created already counted

The services that move a session (sessions: ready, back to draft; ballots: open, close; results:
certify, publish, unpublish) lock the row (`lock_session`), check what they need on the locked
instance with the predicates (`is_ready`, `is_counted`, …) and their own messages, do their
work, and call `session_transition`, which checks the table below once more and writes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from ..models import Status, VotingSession
from .common import refuse

NEW = None  # the "from" of a session that starts life in a status

# (from, to) → what the move is. A move not in this table never happens.
TRANSITIONS: dict[tuple[str | None, str], str] = {
    (NEW, Status.DRAFT): "created in the browser",
    (NEW, Status.CLOSED): "created counted (a paper tally imported)",
    (Status.DRAFT, Status.READY): "lists frozen",
    (Status.READY, Status.DRAFT): "back to draft",
    (Status.READY, Status.OPEN): "voting opened",
    (Status.OPEN, Status.CLOSED): "voting closed",
    (Status.CLOSED, Status.CERTIFIED): "results certified",
    (Status.CERTIFIED, Status.PUBLISHED): "results published",
    (Status.PUBLISHED, Status.CERTIFIED): "results unpublished",
}

MSG_NO_TRANSITION = gettext_noop("A session cannot go from “%(current)s” to “%(wanted)s”.")


def can_transition(session: VotingSession, to: str) -> bool:
    """Whether the table allows `session` (an unsaved one: being created) to move to `to`."""
    current = session.status if session.pk is not None else NEW
    return (current, to) in TRANSITIONS


def _refusal(current: str | None, to: str) -> Exception:
    return refuse(
        MSG_NO_TRANSITION,
        "transition",
        current=str(Status(current).label) if current else "—",
        wanted=str(Status(to).label),
    )


def session_new(*, status: str, **fields: Any) -> VotingSession:
    """An unsaved session starting life in `status` (draft, or closed for an imported tally).

    The caller validates and saves it in its own transaction, with its audit event.
    """
    if (NEW, status) not in TRANSITIONS:
        raise _refusal(NEW, status)
    return VotingSession(status=status, **fields)


def session_transition(
    session: VotingSession,
    to: str,
    *,
    also: VotingSession | None = None,
    **fields: Any,
) -> None:
    """Move `session`, locked by the caller in this transaction, to `to`; write `fields` with it.

    The write is conditional on the status the locked instance has, so it can never go through
    from a stale, unlocked read. `session` (and `also`, the caller's own copy, if given) then
    hold what was written; expressions such as `F("ready_count") + 1` are read back.
    Raises ValidationError (code "transition") for a move the table does not have.
    """
    if not can_transition(session, to):
        raise _refusal(session.status, to)
    updated = VotingSession.objects.filter(pk=session.pk, status=session.status).update(
        status=to, **fields
    )
    if updated != 1:  # the caller did not lock the row, and someone else moved it
        raise _refusal(session.status, to)
    computed = [name for name, value in fields.items() if hasattr(value, "resolve_expression")]
    session.status = to
    for name, value in fields.items():
        if name not in computed:
            setattr(session, name, value)
    if computed:
        session.refresh_from_db(fields=computed)
    if also is not None:
        for name in ["status", *fields]:
            setattr(also, name, getattr(session, name))
