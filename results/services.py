"""Certify, publish, unpublish. Certification freezes the results document, the minutes and the
ballot set."""

from __future__ import annotations

import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ballots.models import CountSheet
from ballots.selectors import (
    closing_counts,
    closing_digest,
    counts_digest,
    marks_count,
    reconciled,
)
from sessions.models import VotingSession
from sessions.selectors import AuditHead, audit_head
from sessions.services import audit_record, lock_session, refuse, session_transition

from . import documents
from .access import can_certify
from .minutes_document import certifier_name
from .models import Certification
from .tally import SessionResult, result_compute

logger = logging.getLogger(__name__)

Status = VotingSession.Status
Mode = VotingSession.Mode

MSG_NOT_CLOSED = gettext_noop("Only a closed session can be certified.")
MSG_NOT_RECONCILED = gettext_noop(
    "The paper ballots are not fully entered, or the two entries disagree."
)
MSG_NO_TALLY = gettext_noop("Enter the tally sheet before certifying.")
MSG_NOT_CERTIFIED = gettext_noop("Only certified results can be published.")
MSG_NOT_PUBLISHED = gettext_noop("These results are not published.")
MSG_CHANGED = gettext_noop("The session changed while the minutes were being prepared; try again.")
MSG_RECOUNT = gettext_noop(
    "The ballots stored no longer give the counts made when voting closed: the record has been "
    "altered, and the results cannot be certified."
)
MSG_NO_PRESENT = gettext_noop(
    "The number of people present is not recorded: the counting committee enters it on the "
    "“%(page)s” page."
)
MSG_NO_ISSUED = gettext_noop(
    "The number of ballots issued is not recorded: the counting committee enters it on the "
    "“%(page)s” page."
)
MSG_OVER_PRESENT = gettext_noop(
    "%(issued)d ballots were issued for %(present)d people present: the counting committee "
    "records why on the “%(page)s” page (the minutes print it), or corrects the figures."
)
MSG_NOT_ON_COMMITTEE = gettext_noop(
    "Only a member of this session's counting committee, linked to their account on the "
    "Committee tab, can certify the results."
)


# Where each mode's committee enters present and issued (the tab's name, as the tabs show it).
FIGURES_PAGE = {
    Mode.ELECTRONIC: gettext_noop("Results"),  # the explanation form below the figures
    Mode.PAPER_BALLOTS: gettext_noop("Paper count"),
    Mode.PAPER_TALLY: gettext_noop("Tally sheet"),
}


def figure_blockers(session: VotingSession, result: SessionResult) -> list[str]:
    """Present and issued must be known in every mode, and more ballots issued than people
    present needs the recorded explanation the minutes print (domain.md, the minutes, item 7).

    Electronic: present is the check-in, issued the slips activated. Paper: the committee's
    figures; a paper session where nobody was checked in and no number was typed has no
    present figure, even though the empty check-in list adds up to 0.
    """
    page = _(FIGURES_PAGE[session.mode])
    sheet = CountSheet.objects.filter(session=session).first()
    present = result.present
    if (
        session.mode != Mode.ELECTRONIC
        and not present
        and result.collected
        and (sheet is None or sheet.present is None)
    ):
        present = None
    blockers = []
    if present is None:
        blockers.append(_(MSG_NO_PRESENT) % {"page": page})
    if result.issued is None:
        blockers.append(_(MSG_NO_ISSUED) % {"page": page})
    if (
        present is not None
        and result.issued is not None
        and result.issued > present
        and not (sheet and sheet.explanation)
    ):
        blockers.append(
            _(MSG_OVER_PRESENT) % {"issued": result.issued, "present": present, "page": page}
        )
    return blockers


def certification_blockers(
    session: VotingSession, result: SessionResult | None = None
) -> list[str]:
    """Why the counts cannot be certified yet (empty: they can). `result`: the live result,
    if the caller has it already."""
    if not session.is_closed:
        return [_(MSG_NOT_CLOSED)]
    if session.mode == Mode.PAPER_BALLOTS and not reconciled(session):
        return [_(MSG_NOT_RECONCILED)]
    if (
        session.mode == Mode.PAPER_TALLY
        and not CountSheet.objects.filter(session=session, collected__isnull=False).exists()
    ):
        return [_(MSG_NO_TALLY)]
    return figure_blockers(session, result or result_compute(session))


def result_certify(*, actor: AbstractBaseUser, session: VotingSession) -> Certification:
    """Freeze the results: generate the minutes once, store them with their SHA-256."""
    if not can_certify(actor, session):  # the view asks the same; the service holds the rule
        raise refuse(MSG_NOT_ON_COMMITTEE, "not_on_committee")
    result = result_compute(session)
    blockers = certification_blockers(session, result)
    if blockers:
        raise ValidationError(blockers[0], code="blocked")
    if _altered_since_close(session):
        logger.error(
            "Refusing to certify session %s (%s): its marks no longer give the counts kept "
            "when voting closed (docs/threat-model.md)",
            session.pk,
            session.public_id,
        )
        raise refuse(MSG_RECOUNT, "recount")
    # The PDFs are rendered before the transaction (slow I/O outside the lock); the locked
    # re-check below throws them away if anything changed meanwhile (a committee link, a
    # figure or an explanation is audited, so it moves the head checked there too).
    ballot_set = documents.ballot_set_csv(session, result)
    ballot_set_sha = documents.sha256(ballot_set)
    # The minutes print the audit chain as it stands now; the certification event follows it.
    head = audit_head(session)
    minutes = documents.minutes_pdf(
        result,
        ballot_set_sha256=ballot_set_sha,
        audit_head=head,
        certifier=certifier_name(session, actor),
    )
    announcement = documents.announcement_pdf(result)
    return _store_certification(
        actor=actor,
        session=session,
        expected=documents.frozen_document(result),
        minutes=minutes,
        announcement=announcement,
        ballot_set=ballot_set,
        ballot_set_sha=ballot_set_sha,
        head=head,
    )


def _altered_since_close(session: VotingSession) -> bool:
    """Whether the marks no longer give what the close counted: the counts it kept (which the
    tally reads), or the digest it wrote into its signed audit event (which no one can rewrite
    without the audit key, and which is there even when no ballot was cast)."""
    kept, digest = closing_counts(session), closing_digest(session)
    if kept is None and digest is None:
        return False  # closed before counts were kept: the tally counts the marks themselves
    live = marks_count(session)
    return (kept is not None and kept != live) or (
        digest is not None and digest != counts_digest(live)
    )


@transaction.atomic(durable=True)
def _store_certification(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    expected: dict,
    minutes: bytes,
    announcement: bytes,
    ballot_set: bytes,
    ballot_set_sha: str,
    head: AuditHead,
) -> Certification:
    locked = lock_session(session)
    if not locked.is_closed:
        raise refuse(MSG_NOT_CLOSED, "not_closed")
    # `expected` is what the minutes were rendered from; it is also what gets frozen, so the
    # pages, exports and API can never show anything but the minutes' figures and names.
    if documents.frozen_document(result_compute(locked)) != expected:
        raise refuse(MSG_CHANGED, "changed")
    if audit_head(locked) != head:  # an event since the minutes printed the head
        raise refuse(MSG_CHANGED, "changed")
    certification = Certification.objects.create(
        session=locked,
        certified_by=actor,
        certified_at=timezone.now(),
        minutes_pdf=minutes,
        minutes_sha256=documents.sha256(minutes),
        announcement_pdf=announcement,
        announcement_sha256=documents.sha256(announcement),
        ballot_set_csv=ballot_set,
        ballot_set_sha256=ballot_set_sha,
        result=expected,
        result_sha256=documents.sha256(documents.canonical_json(expected)),
    )
    session_transition(locked, Status.CERTIFIED, also=session)
    audit_record(
        session=locked,
        actor=actor,
        action="results_certified",
        minutes_sha256=certification.minutes_sha256,
        announcement_sha256=certification.announcement_sha256,
        ballot_set_sha256=ballot_set_sha,
        result_sha256=certification.result_sha256,
        audit_events=head.count,
        audit_head=head.hash,
    )
    return certification


@transaction.atomic(durable=True)
def result_publish(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """certified → published, to the session's scope. False if already published."""
    locked = lock_session(session)
    if locked.is_published:
        return False
    if not locked.is_certified:
        raise refuse(MSG_NOT_CERTIFIED, "not_certified")
    session_transition(locked, Status.PUBLISHED, also=session)
    audit_record(session=locked, actor=actor, action="results_published", scope=locked.scope)
    return True


@transaction.atomic(durable=True)
def result_unpublish(*, actor: AbstractBaseUser, session: VotingSession) -> bool:
    """published → certified: withdrawn from its audience, still frozen."""
    locked = lock_session(session)
    if not locked.is_certified:
        raise refuse(MSG_NOT_PUBLISHED, "not_published")
    if not locked.is_published:
        return False  # certified, not published: nothing to withdraw
    session_transition(locked, Status.CERTIFIED, also=session)
    audit_record(session=locked, actor=actor, action="results_unpublished", scope=locked.scope)
    return True
