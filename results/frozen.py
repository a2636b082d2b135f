"""What is certified is what is served: the frozen result and the frozen documents.

The result: before certification (a closed session) it is computed from the live tables, for
the committee to check. From certification on it is the document stored in the `Certification`
row, read back only after its SHA-256 checks out, and rebuilt into the same `SessionResult`
shape the templates and exports already use. Renaming an official, or swapping two names,
afterwards changes nothing that was certified. A stored document that does not match its
fingerprint is never shown and never silently replaced by a recomputation: `session_result`
raises `AlteredRecord`, logged once here, and the middleware turns it into a clear 409 page.

The documents (minutes, announcement, ballot set): every view, command and check that hands one
out goes through `verified_blob`; a stored copy that no longer matches the fingerprint recorded
at certification is refused (`FrozenDocumentMismatch`, a 409 page too) and logged.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.selectors import merged_official_ids
from sessions.models import Candidate, VotingSession
from sessions.regimes import REGIMES, band_name, rules_for

from . import documents
from .minutes_document import certifier_name
from .models import Certification
from .tally import CandidateResult, LevelResult, SessionResult, result_compute

logger = logging.getLogger(__name__)


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
        if not language or language.startswith("vi") or self.regime not in REGIMES:
            return self.certified_text
        band = rules_for(self.regime, self.procedure).band_named(self.code)
        return str(band.consequence) if band else self.certified_text

    @property
    def name(self) -> Promise | str:
        return band_name(self.code)

    @property
    def fact(self) -> str:
        """The band said as a fact, as the minutes print it (looked up by the band's code)."""
        if self.regime not in REGIMES:
            return str(band_name(self.code))
        band = rules_for(self.regime, self.procedure).band_named(self.code)
        return str(band.fact) if band else str(band_name(self.code))


def _certified_document(session: VotingSession) -> dict[str, Any]:
    certification = (
        Certification.objects.filter(session=session)
        .only("pk", "session_id", "result", "result_sha256")
        .first()
    )
    if certification is None:
        raise refuse(session, "no certification row")
    document = certification.result
    if not isinstance(document, dict) or not certification.result_sha256:
        raise refuse(session, "no frozen result stored")
    actual = documents.sha256(documents.canonical_json(document))
    if actual != certification.result_sha256:
        raise refuse(session, f"SHA-256 {actual} differs from {certification.result_sha256}")
    return document


def refuse(session: VotingSession, reason: str) -> AlteredRecord:
    """Log why a certified record is not served; the exception to raise (or not)."""
    logger.error(
        "Refusing to serve the certified results of session %s (%s): %s",
        session.pk,
        session.public_id,
        reason,
    )
    return AlteredRecord(session, reason)


def _rebuild(session: VotingSession, document: dict[str, Any]) -> SessionResult:
    figures = document["session"]
    levels = session.rules.level_values
    # Candidates past draft can no longer be added, removed, reordered or re-pointed (services
    # and admin refuse), so the live list pairs line by line with the frozen one. It gives the
    # ids for links only: every name, position and figure shown comes from the document.
    ids = list(
        Candidate.objects.filter(session=session).on_ballot().values_list("pk", "official_id")
    )
    lines = document["candidates"]
    if len(ids) != len(lines):
        raise refuse(session, "the frozen result and the session's list differ in length")
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
    if not session.is_certified:
        if certified_elsewhere(session):
            raise refuse(session, "the trail records a certification that is no longer there")
        return result_compute(session)
    document = _certified_document(session)
    try:
        result = _rebuild(session, document)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise refuse(session, f"the frozen result cannot be read ({exc!r})") from exc
    # The rebuilt result must give back exactly the certified document: this also checks that
    # the session's own details (title, organization, date, regime…) shown beside the figures
    # are still those of the record.
    rebuilt = documents.frozen_document(result)
    if rebuilt != document and rebuilt != _after_merges(document):
        raise refuse(session, "the frozen result does not match the session it belongs to")
    return result


def _after_merges(document: dict[str, Any]) -> dict[str, Any]:
    """The links with each official followed through the audited merges of duplicates
    (people.models.OfficialMerge); names, figures and their SHA-256 stay as certified."""
    merges = merged_official_ids()
    links = document.get("links") if merges else None
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        return document
    followed = [
        {**ln, "official": merges.get(ln.get("official"), ln.get("official"))} for ln in links
    ]
    return {**document, "links": followed}


def result_document(session: VotingSession) -> dict[str, Any]:
    """The API's document: the certified one (Vietnamese) with the live status once frozen."""
    result = session_result(session)
    if session.is_certified:
        with translation.override("vi"):
            return documents.result_json(result)
    return documents.result_json(result)


# --- Frozen documents ----------------------------------------------------------------------

# kind → (field holding the document, field holding its SHA-256). A new frozen document is one
# more line here (and a label below).
DOCUMENTS: dict[str, tuple[str, str]] = {
    "minutes": ("minutes_pdf", "minutes_sha256"),
    "announcement": ("announcement_pdf", "announcement_sha256"),
    "ballot_set": ("ballot_set_csv", "ballot_set_sha256"),
}
LABELS = {
    "minutes": gettext_lazy("the minutes of the count"),
    "announcement": gettext_lazy("the announcement of the results"),
    "ballot_set": gettext_lazy("the set of ballots counted"),
    "result": gettext_lazy("the certified results"),
}


class FrozenDocumentMismatch(Exception):
    """A stored frozen document does not match the SHA-256 recorded when it was frozen."""

    def __init__(self, certification: Certification, kind: str) -> None:
        super().__init__(f"session {certification.session_id}: {kind} does not match its SHA-256")
        self.session_id = certification.session_id
        self.kind = kind

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


def _matches(certification: Certification, kind: str) -> tuple[bytes, bool]:
    blob_field, sha_field = DOCUMENTS[kind]
    data = bytes(getattr(certification, blob_field))
    recorded = getattr(certification, sha_field)
    return data, constant_time_compare(hashlib.sha256(data).hexdigest(), recorded)


def verified_blob(certification: Certification, kind: str) -> bytes:
    """The stored document, if it still matches its recorded SHA-256."""
    data, ok = _matches(certification, kind)
    if not ok:
        logger.error(
            "Frozen document refused: the %s of session %s does not match its recorded SHA-256",
            kind,
            certification.session_id,
        )
        raise FrozenDocumentMismatch(certification, kind)
    return data


def mismatched(certification: Certification) -> list[str]:
    """The kinds of frozen document that no longer match their fingerprint."""
    return [kind for kind in DOCUMENTS if not _matches(certification, kind)[1]]


RESULT_ACTIONS = ("results_certified", "results_published", "results_unpublished")


def _status_problems(session: VotingSession) -> list[str]:
    """The session's status and scope against what the (keyed) trail says was done to it.

    Undoing a certification, or publishing, by writing to the database leaves a status the
    trail contradicts: certified with no certification, published with no publication.
    """
    acts = list(
        session.audit_events.filter(action__in=RESULT_ACTIONS)
        .order_by("pk")
        .values_list("action", "detail")
    )
    certified = any(action == "results_certified" for action, _detail in acts)
    publications = [(a, d) for a, d in acts if a != "results_certified"]
    published = bool(publications) and publications[-1][0] == "results_published"
    problems = []
    if certified and not session.is_certified:
        problems.append(
            _("the trail records a certification, but the session is now “%(status)s”")
            % {"status": session.get_status_display()}
        )
    if certified and not Certification.objects.filter(session=session).exists():
        problems.append(_("the trail records a certification, but the certification is gone"))
    if not certified and session.is_certified:
        problems.append(
            _("the session is certified, but its audit trail has no certification event")
        )
    if session.is_published and not published:
        problems.append(_("the session is published, but the trail records no publication"))
    if session.is_certified and not session.is_published and published:
        problems.append(_("the trail records a publication, but the session is not published"))
    if session.is_published and published:
        scope = (publications[-1][1] or {}).get("scope")
        if scope and scope != session.scope:
            problems.append(
                _("the session is published to “%(now)s”, but the trail says “%(then)s”")
                % {"now": session.scope, "then": scope}
            )
    return problems


def certified_elsewhere(session: VotingSession) -> bool:
    """A closed session whose trail says it was certified: its certification was removed."""
    return session.is_closed and session.audit_events.filter(action="results_certified").exists()


def session_problems(session: VotingSession) -> list[str]:
    """For verify_audit and the audit page (registered in results.apps)."""
    problems = _status_problems(session)
    certification = Certification.objects.filter(session=session).first()
    if certification is None:
        return problems
    if session.is_certified:
        try:
            session_result(session)  # its SHA-256, and names, ids and details still fitting
        except AlteredRecord as exc:
            problems.append(
                _("the certified results no longer fit the session (%(reason)s)")
                % {"reason": exc.reason}
            )
    problems += [
        _("%(document)s: the stored copy does not match the SHA-256 recorded at certification")
        % {"document": LABELS[kind]}
        for kind in mismatched(certification)
    ]
    event = session.audit_events.filter(action="results_certified").first()
    if event is None:
        if not session.is_certified:  # else _status_problems said so
            problems.append(
                _("the session is certified, but its audit trail has no certification event")
            )
        return problems
    # The fingerprints recorded in the certification event are covered by the keyed chain: a
    # document swapped together with its recorded SHA-256 still disagrees with them.
    fields = [(kind, sha_field) for kind, (_blob, sha_field) in DOCUMENTS.items()]
    for kind, sha_field in [*fields, ("result", "result_sha256")]:
        logged = event.detail.get(sha_field)
        if logged and logged != getattr(certification, sha_field):
            problems.append(
                _("%(document)s: the recorded SHA-256 differs from the one in the audit trail")
                % {"document": LABELS[kind]}
            )
    return problems


@dataclass(frozen=True)
class Minutes:
    pdf: bytes
    kind: str  # "certified", "certified (re-rendered)" or "draft"
    filename: str


def session_minutes(
    session: VotingSession, *, language: str = "vi", reading_copy: bool = False
) -> Minutes:
    """The minutes every page and command hands out, built in this one place.

    Once certified: the stored PDF as signed, verified against its fingerprint; with
    `reading_copy`, the frozen figures re-rendered (e.g. in English) with the certified
    fingerprint and audit head. Before: a draft over the live figures, for the committee to check.
    """
    if not session.is_counted:
        # Every caller checks access first; this owner never drafts minutes of a live vote.
        raise ValueError(f"session {session.pk} is not counted: no minutes while voting is open")
    certification = Certification.objects.filter(session=session).first()
    if certification is not None and not reading_copy:
        return Minutes(
            verified_blob(certification, "minutes"),
            "certified",
            f"bien-ban-kiem-phieu-{session.public_id}.pdf",
        )
    result = session_result(session)  # the frozen figures once certified
    if certification is None:  # a draft: no ballot set frozen yet, so no fingerprint of it
        pdf = documents.minutes_pdf(result, draft=True, language=language)
        return Minutes(pdf, "draft", f"du-thao-bien-ban-{session.public_id}.pdf")
    pdf = documents.minutes_pdf(
        result,
        ballot_set_sha256=certification.ballot_set_sha256,
        audit_head=documents.certified_audit_head(certification),
        certifier=certifier_name(session, certification.certified_by),
        language=language,
    )
    return Minutes(pdf, "certified (re-rendered)", f"bien-ban-kiem-phieu-{session.public_id}.pdf")
