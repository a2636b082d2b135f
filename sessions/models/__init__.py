"""Organizations, officials, voting sessions and who takes part in them, and the audit trail.

A package of small modules; import the models from here (`from sessions.models import X`).
"""

from __future__ import annotations

from .audit import AuditEvent
from .registry import Membership, Official, Organization, RegistryEvent
from .roster import RosterMember
from .session import (
    CERTIFIED,
    COUNTED,
    DESK_OPEN,
    HAS_OPENED,
    IN_PROGRESS,
    Candidate,
    CommitteeMember,
    Status,
    Voter,
    VotingSession,
    new_public_id,
)

__all__ = [
    "CERTIFIED",
    "IN_PROGRESS",
    "COUNTED",
    "DESK_OPEN",
    "HAS_OPENED",
    "AuditEvent",
    "Candidate",
    "CommitteeMember",
    "Membership",
    "Official",
    "Organization",
    "RegistryEvent",
    "RosterMember",
    "Status",
    "Voter",
    "VotingSession",
    "new_public_id",
]
