"""What every results page, export and the API read: the frozen result once certified.

Before certification (a closed session) the result is computed from the live tables, for the
committee to check. From certification on it is the document stored in the `Certification`
row, read back only after its SHA-256 checks out, and rebuilt into the same `SessionResult`
shape the templates and exports already use. Renaming an official, or swapping two names,
afterwards changes nothing that was certified. A stored document that does not match its
fingerprint is never shown and never silently replaced by a recomputation: `session_result`
raises `AlteredRecord`, logged once here, and the middleware turns it into a clear 409 page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation

from sessions.models import Candidate, VotingSession

from . import documents
from .models import Certification
from .regimes import REGIMES
from .tally import CandidateResult, LevelResult, SessionResult, result_compute

logger = logging.getLogger(__name__)

Status = VotingSession.Status
FROZEN = (Status.CERTIFIED, Status.PUBLISHED)


class AlteredRecord(Exception):
    """A certified session's stored result does not match its fingerprint or its session."""

    def __init__(self, session: VotingSession, reason: str) -> None:
        super().__init__(f"session {session.pk}: {reason}")
        self.session = session
        self.reason = reason


@dataclass(frozen=True)
class FrozenOfficial:
    full_name: str


@dataclass(frozen=True)
class FrozenCandidate:
    """A line's person as certified. The ids only link to the official's page."""

    pk: int
    official_id: int
    official: FrozenOfficial
    position: str


@dataclass(frozen=True)
class FrozenBand:
    """A band as certified: its code and the consequence text printed at certification."""

    code: str
    certified_text: str
    regime: str
    procedure: str

    @property
    def consequence(self) -> str:
        """The certified (Vietnamese) text; in another interface language, its translation.

        The translation is looked up by the band's code; it is a reading aid, the record is the
        Vietnamese text (which is also what the API and the exports carry).
        """
        language = translation.get_language()
        regime = REGIMES.get(self.regime)
        if not language or language.startswith("vi") or regime is None:
            return self.certified_text
        bands = regime.confidence_bands if self.procedure == "confidence" else regime.rating_bands
        band = next((b for b in bands if b.code == self.code), None)
        return str(band.consequence) if band else self.certified_text


def _certified_document(session: VotingSession) -> dict[str, Any]:
    certification = (
        Certification.objects.filter(session=session)
        .only("pk", "session_id", "result", "result_sha256")
        .first()
    )
    if certification is None:
        raise _refuse(session, "no certification row")
    document = certification.result
    if not isinstance(document, dict) or not certification.result_sha256:
        raise _refuse(session, "no frozen result stored")
    actual = documents.sha256(documents.canonical_json(document))
    if actual != certification.result_sha256:
        raise _refuse(session, f"SHA-256 {actual} differs from {certification.result_sha256}")
    return document


def _refuse(session: VotingSession, reason: str) -> AlteredRecord:
    logger.error(
        "Refusing to serve the certified results of session %s (%s): %s",
        session.pk,
        session.public_id,
        reason,
    )
    return AlteredRecord(session, reason)


def _rebuild(session: VotingSession, document: dict[str, Any]) -> SessionResult:
    figures = document["session"]
    levels = [value for value, _label in session.levels()]
    # Candidates past draft can no longer be added, removed, reordered or re-pointed (services
    # and admin refuse), so the live list pairs line by line with the frozen one. It gives the
    # ids for links only: every name, position and figure shown comes from the document.
    ids = list(
        Candidate.objects.filter(session=session, excluded=False)
        .order_by("order")
        .values_list("pk", "official_id")
    )
    lines = document["candidates"]
    if len(ids) != len(lines):
        raise _refuse(session, "the frozen result and the session's list differ in length")
    candidates = []
    for (pk, official_id), line in zip(ids, lines, strict=True):
        person = FrozenCandidate(pk, official_id, FrozenOfficial(line["name"]), line["position"])
        band = None
        if line["band"] != "none":
            band = FrozenBand(line["band"], line["consequence"], session.regime, session.procedure)
        candidates.append(
            CandidateResult(
                candidate=person,
                number=line["order"],
                levels=[
                    LevelResult(
                        level,
                        line["counts"][documents.machine_level(level)],
                        Decimal(line["percent"][documents.machine_level(level)]),
                    )
                    for level in levels
                ],
                invalid=line["counts"]["invalid"],
                invalid_percent=Decimal(line["percent"]["invalid"]),
                band=band,
            )
        )
    return SessionResult(
        session=session,
        summoned=figures["summoned"],
        present=figures["present"],
        issued=figures["issued"],
        collected=figures["collected"],
        whole_invalid=figures["invalid_ballots"],
        denominator=figures["denominator"],
        candidates=candidates,
    )


def session_result(session: VotingSession) -> SessionResult:
    """The result to show: computed while closed, the verified frozen one once certified."""
    if session.status not in FROZEN:
        return result_compute(session)
    document = _certified_document(session)
    try:
        result = _rebuild(session, document)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise _refuse(session, f"the frozen result cannot be read ({exc!r})") from exc
    # The rebuilt result must give back exactly the certified document: this also checks that
    # the session's own details (title, organization, date, regime…) shown beside the figures
    # are still those of the record.
    if documents.frozen_document(result) != document:
        raise _refuse(session, "the frozen result does not match the session it belongs to")
    return result


def result_document(session: VotingSession) -> dict[str, Any]:
    """The API's document: the certified one (Vietnamese) with the live status once frozen."""
    result = session_result(session)
    if session.status in FROZEN:
        with translation.override("vi"):
            return documents.result_json(result)
    return documents.result_json(result)
