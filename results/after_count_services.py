"""Writes of the documents after the count: the details the secretariat types (addressee,
recipients, report number and date) and, under nq96, the resolution as adopted. Each one
transaction with its audit event; the session must be certified (the documents are made from the
certified result)."""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sessions.models import VotingSession
from sessions.services import audit_record, lock_session, refuse

from .models import ResultDocuments

MSG_NOT_CERTIFIED = gettext_noop(
    "The documents that follow the count are made once the results are certified."
)
MSG_NO_RESOLUTION = gettext_noop("Under this legal basis no resolution confirms the results.")
MSG_ADOPTED_IN_FUTURE = gettext_noop("The resolution cannot have been adopted after today.")
MSG_ADOPTED_BEFORE = gettext_noop(
    "The resolution cannot have been adopted before the sitting (%(date)s)."
)
MSG_REPORT_BEFORE = gettext_noop("The report cannot be dated before the conference (%(date)s).")

DETAILS = ("addressee", "recipients", "report_number", "report_date")


def _certified(session: VotingSession) -> tuple[VotingSession, ResultDocuments]:
    locked = lock_session(session)
    if not locked.is_certified:
        raise refuse(MSG_NOT_CERTIFIED, "not_certified")
    documents = ResultDocuments.objects.filter(session=locked).first()
    return locked, documents or ResultDocuments(session=locked)


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic(durable=True)
def result_documents_update(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    addressee: str,
    recipients: str,
    report_number: str,
    report_date: datetime.date | None,
) -> bool:
    """Store what the report (and the resolution's "Nơi nhận") prints. False: nothing changed."""
    locked, documents = _certified(session)
    if report_date is not None and report_date < locked.date:
        date = locked.date.strftime("%d/%m/%Y")
        raise refuse(MSG_REPORT_BEFORE, "report_before_session", date=date)
    values = {
        "addressee": addressee,
        "recipients": recipients,
        "report_number": report_number,
        "report_date": report_date,
    }
    changed = {k: v for k, v in values.items() if getattr(documents, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(documents, key, value)
    documents.full_clean()
    documents.save()
    audit_record(
        session=locked,
        actor=actor,
        action="result_documents_updated",
        **{k: _json(v) for k, v in changed.items()},
    )
    return True


@transaction.atomic(durable=True)
def resolution_adoption_record(
    *, actor: AbstractBaseUser, session: VotingSession, number: str, date: datetime.date
) -> bool:
    """Record the number and date the sitting adopted the resolution under (nq96). From then on
    the public pages show the results as confirmed. A correction is recorded the same way (the
    trail keeps what it replaced). False: the same number and date again."""
    locked, documents = _certified(session)
    if not locked.rules.confirmed_by_resolution:
        raise refuse(MSG_NO_RESOLUTION, "no_resolution")
    if date > timezone.localdate():
        raise refuse(MSG_ADOPTED_IN_FUTURE, "adopted_in_future")
    if date < locked.date:
        date_text = locked.date.strftime("%d/%m/%Y")
        raise refuse(MSG_ADOPTED_BEFORE, "adopted_before_session", date=date_text)
    if documents.resolution_number == number and documents.resolution_date == date:
        return False
    replaced = {}
    if documents.adopted:
        replaced = {
            "replaced_number": documents.resolution_number,
            "replaced_date": _json(documents.resolution_date),
        }
    documents.resolution_number = number
    documents.resolution_date = date
    documents.adoption_recorded_by = actor
    documents.adoption_recorded_at = timezone.now()
    documents.full_clean()
    documents.save()
    audit_record(
        session=locked,
        actor=actor,
        action="resolution_adoption_recorded",
        number=number,
        date=_json(date),
        **replaced,
    )
    return True
