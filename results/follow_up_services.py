"""Prepare the follow-up vote of confidence from a certified rating, and record a resignation.

Both act on certified results only; each is one transaction with its audit events (the rating's
chain, and the follow-up session's where it changes). Access is checked by the views: the
secretariat of the session's body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sessions.models import Candidate, Official, VotingSession
from sessions.services import audit_record, lock_session, refuse
from sessions.services.reuse import CandidateCopy, session_derive

from .follow_up import follow_up_rows
from .models import FollowUp, Resignation

MSG_NOT_CERTIFIED = gettext_noop(
    "The results are not certified: a follow-up vote of confidence is prepared, and a "
    "resignation recorded, from certified results only."
)
MSG_NOBODY = gettext_noop(
    "Nobody in these results is in a band that calls for a vote of confidence, or everyone "
    "concerned has resigned."
)
MSG_NOT_BANDED = gettext_noop("%(name)s is not in a band in these results.")
MSG_ALREADY_RESIGNED = gettext_noop("The resignation of %(name)s is already recorded.")
MSG_BEFORE_SESSION = gettext_noop("The resignation cannot be dated before the session (%(date)s).")
MSG_IN_FUTURE = gettext_noop("The resignation cannot be dated in the future.")
# The new session's title and a resigned candidate's note are data, in Vietnamese.
TITLE = gettext_noop("Vote of confidence (after “%(title)s”)")
RESIGNED_NOTE = gettext_noop("Resigned on %(date)s")

Procedure = VotingSession.Procedure
Reason = Candidate.ExclusionReason


def _vi(message: str, **params: str) -> str:
    with translation.override("vi"):
        return _(message) % params


@transaction.atomic(durable=True)
def follow_up_create(
    *, actor: AbstractBaseUser, session: VotingSession
) -> tuple[VotingSession, bool]:
    """Create the vote of confidence a certified rating calls for, as a draft of the same body
    and regime: only the people concerned who have not resigned (officials and positions as
    certified, in ballot order), the same summoned list and committee. A second request returns
    the one already made (False)."""
    locked = lock_session(session)
    if not locked.is_certified:
        raise refuse(MSG_NOT_CERTIFIED, "not_certified")
    existing = FollowUp.objects.filter(origin=locked).select_related("session").first()
    if existing is not None:
        return existing.session, False
    people = [row for row in follow_up_rows(locked) if row.to_vote]
    if not people:
        raise refuse(MSG_NOBODY, "nobody")
    officials = Official.objects.in_bulk([row.official_id for row in people])
    title = _vi(TITLE, title=locked.title)[:300]
    created = session_derive(
        actor=actor,
        source=locked,
        title=title,
        date=timezone.localdate(),
        procedure=Procedure.CONFIDENCE,
        candidates=[
            CandidateCopy(officials[row.official_id], row.line.candidate.position) for row in people
        ],
        follow_up_of=locked.public_id,
    )
    FollowUp.objects.create(origin=locked, session=created, created_by=actor)
    audit_record(
        session=locked,
        actor=actor,
        action="follow_up_created",
        title=created.title,
        follow_up=created.public_id,
        names=[row.line.candidate.official.full_name for row in people],
        count=len(people),
    )
    return created, True


@dataclass(frozen=True)
class Recorded:
    resignation: Resignation
    follow_up: VotingSession | None  # the follow-up session, if one was made
    excluded: bool  # taken off its (draft) list here


def _exclude_from_follow_up(
    *, actor: AbstractBaseUser, origin: VotingSession, official_id: int, note: str
) -> tuple[VotingSession | None, bool]:
    follow_up = FollowUp.objects.filter(origin=origin).select_related("session").first()
    if follow_up is None:
        return None, False
    target = lock_session(follow_up.session)
    if not target.is_draft:
        return target, False
    candidate = (
        target.candidates.select_related("official")
        .filter(official_id=official_id, excluded=False)
        .first()
    )
    if candidate is None:
        return target, False
    candidate.excluded = True
    candidate.exclusion_reason = Reason.RESIGNED
    candidate.exclusion_note = note[:200]
    candidate.full_clean()
    candidate.save(update_fields=["excluded", "exclusion_reason", "exclusion_note"])
    audit_record(
        session=target,
        actor=actor,
        action="candidate_updated",
        name=candidate.official.full_name,
        position=candidate.position,
        excluded=True,
        reason=candidate.exclusion_reason,
        note=candidate.exclusion_note,
    )
    return target, True


@transaction.atomic(durable=True)
def resignation_record(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    resigned_on: datetime.date,
    note: str = "",
) -> Recorded:
    """Record that a person in a band of a certified rating resigned (xin từ chức), on a date
    from the session's to today: they are left out of the follow-up vote, and taken off its
    list (excluded, with the reason) if it was made and is still a draft."""
    locked = lock_session(candidate.session)
    if not locked.is_certified:
        raise refuse(MSG_NOT_CERTIFIED, "not_certified")
    row = next((r for r in follow_up_rows(locked) if r.line.candidate.pk == candidate.pk), None)
    name = row.line.candidate.official.full_name if row else candidate.official.full_name
    if row is None:
        raise refuse(MSG_NOT_BANDED, "not_banded", name=name)
    if row.resignation is not None or Resignation.objects.filter(candidate=candidate).exists():
        raise refuse(MSG_ALREADY_RESIGNED, "already", name=name)
    if resigned_on < locked.date:
        raise refuse(MSG_BEFORE_SESSION, "before", date=formats.date_format(locked.date, "d/m/Y"))
    if resigned_on > timezone.localdate():
        raise refuse(MSG_IN_FUTURE, "future")
    resignation = Resignation(
        candidate=candidate, resigned_on=resigned_on, note=" ".join(note.split()), recorded_by=actor
    )
    resignation.full_clean()
    resignation.save()
    audit_record(
        session=locked,
        actor=actor,
        action="resignation_recorded",
        name=name,
        resigned_on=resigned_on.isoformat(),
        note=resignation.note,
    )
    follow_up, excluded = _exclude_from_follow_up(
        actor=actor,
        origin=locked,
        official_id=row.official_id,
        note=_vi(RESIGNED_NOTE, date=resigned_on.strftime("%d/%m/%Y")),
    )
    return Recorded(resignation, follow_up, excluded)
