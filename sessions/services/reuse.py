"""A new draft session from an earlier one of the same body: its candidates (or some of them),
its summoned list and its counting committee, for the secretariat to review before freezing.

Nothing of the earlier session's vote comes along: no ballots, no codes, no attendance, no
fingerprint, no minutes; the new session starts as a draft like one made in the browser.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Candidate, CommitteeMember, Official, Voter, VotingSession
from ..proposals import proposed_exclusion
from .committee import committee_member_build
from .common import Status, _json, audit_record
from .lifecycle import SESSION_FIELDS
from .transitions import session_new


@dataclass(frozen=True)
class CandidateCopy:
    """A line of the new session's list, in the order given."""

    official: Official
    position: str
    excluded: bool = False
    exclusion_reason: str = ""
    exclusion_note: str = ""


def candidates_of(session: VotingSession) -> list[CandidateCopy]:
    """Every line of a session's list as it stands: official, position, order, exclusion."""
    return [
        CandidateCopy(c.official, c.position, c.excluded, c.exclusion_reason, c.exclusion_note)
        for c in session.candidates.select_related("official").order_by("order")
    ]


def _committee(session: VotingSession, members: Iterable[CommitteeMember]) -> list[str]:
    """Copy the committee; a linked account that no longer holds this body's counting-committee
    role is left unlinked (its name returned) rather than refusing the whole copy."""
    unlinked = []
    for member in members:
        fields = {"full_name": member.full_name, "unit": member.unit, "role": member.role}
        try:
            built = committee_member_build(session=session, user=member.user, **fields)
        except ValidationError:
            if member.user_id is None:
                raise
            built = committee_member_build(session=session, user=None, **fields)
            unlinked.append(member.full_name)
        built.save()
    return unlinked


@transaction.atomic
def session_derive(
    *,
    actor: AbstractBaseUser,
    source: VotingSession,
    title: str,
    date: datetime.date,
    candidates: list[CandidateCopy],
    procedure: str = "",
    **detail: Any,
) -> VotingSession:
    """A new draft of `source`'s body with its details (but `title`, `date` and, if given, the
    `procedure`), `candidates` in that order, and `source`'s summoned list and committee
    (names, units, roles, linked accounts). Runs in the caller's transaction; audited on the
    new session with `detail`."""
    values = {key: getattr(source, key) for key in SESSION_FIELDS}
    values.update(title=" ".join(title.split()), date=date)
    if procedure:
        values["procedure"] = procedure
    if values.get("mode") == VotingSession.Mode.PAPER_TALLY:
        # An imported tally sheet records a past count; the new session is held: on site.
        values["mode"] = VotingSession.Mode.ELECTRONIC
    session = session_new(
        status=Status.DRAFT,
        organization=source.organization,
        minutes_copies=source.minutes_copies,
        **values,
    )
    session.full_clean()
    session.save()
    for order, line in enumerate(candidates, start=1):
        excluded, reason, note = line.excluded, line.exclusion_reason, line.exclusion_note
        if reason == Candidate.ExclusionReason.NEWLY_APPOINTED and date.year != source.date.year:
            # "Elected or appointed in the year of the rating" is true of one year only: asked
            # again for the new date (domain.md, "Not rated").
            proposal = proposed_exclusion(session, line.official)
            excluded = proposal is not None
            reason, note = (proposal.reason, proposal.note[:200]) if proposal else ("", "")
        candidate = Candidate(
            session=session,
            official=line.official,
            position=line.position,
            order=order,
            excluded=excluded,
            exclusion_reason=reason if excluded else "",
            exclusion_note=note if excluded else "",
        )
        candidate.full_clean()
        candidate.save()
    voters = [
        Voter(session=session, number=number, full_name=voter.full_name, unit=voter.unit)
        for number, voter in enumerate(source.voters.order_by("number"), start=1)
    ]
    Voter.objects.bulk_create(voters)
    members = list(source.committee.select_related("user").order_by("role", "pk"))
    unlinked = _committee(session, members)
    audit_record(
        session=session,
        actor=actor,
        action="session_copied",
        copied_from=source.public_id,
        candidates=len(candidates),
        voters=len(voters),
        committee=len(members),
        **({"unlinked": unlinked} if unlinked else {}),
        **{key: _json(value) for key, value in values.items()},
        **detail,
    )
    return session


@transaction.atomic(durable=True)
def session_reuse(
    *, actor: AbstractBaseUser, source: VotingSession, title: str, date: datetime.date
) -> VotingSession:
    """ "New session from this one": every candidate (same officials, positions, order and
    exclusions), the summoned list and the committee, in a new draft with its own title and
    date. The caller checks that the actor prepares sessions of `source`'s body."""
    return session_derive(
        actor=actor, source=source, title=title, date=date, candidates=candidates_of(source)
    )
