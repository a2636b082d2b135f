"""The frozen documents of a certification are served only while they match their SHA-256.

Every view, command and check that hands out a frozen document goes through `verified_blob`; a
stored copy that no longer matches the fingerprint recorded at certification is refused
(`FrozenDocumentMismatch`, shown as a 409 page by `results.middleware`) and logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.models import VotingSession

from .models import Certification

logger = logging.getLogger(__name__)

# kind → (field holding the document, field holding its SHA-256). A new frozen document is one
# more line here (and a label below).
FROZEN: dict[str, tuple[str, str]] = {
    "minutes": ("minutes_pdf", "minutes_sha256"),
    "announcement": ("announcement_pdf", "announcement_sha256"),
    "ballot_set": ("ballot_set_csv", "ballot_set_sha256"),
}
LABELS = {
    "minutes": gettext_lazy("the minutes of the count"),
    "announcement": gettext_lazy("the announcement of the results"),
    "ballot_set": gettext_lazy("the set of ballots counted"),
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
    blob_field, sha_field = FROZEN[kind]
    data = bytes(getattr(certification, blob_field))
    recorded = getattr(certification, sha_field)
    return data, hmac.compare_digest(hashlib.sha256(data).hexdigest(), recorded)


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
    return [kind for kind in FROZEN if not _matches(certification, kind)[1]]


def session_problems(session: VotingSession) -> list[str]:
    """For verify_audit and the audit page (registered in results.apps)."""
    certification = Certification.objects.filter(session=session).first()
    if certification is None:
        return []
    problems = [
        _("%(document)s: the stored copy does not match the SHA-256 recorded at certification")
        % {"document": LABELS[kind]}
        for kind in mismatched(certification)
    ]
    event = session.audit_events.filter(action="results_certified").first()
    if event is None:
        problems.append(
            _("the session is certified, but its audit trail has no certification event")
        )
        return problems
    # The fingerprints recorded in the certification event are covered by the keyed chain: a
    # document swapped together with its recorded SHA-256 still disagrees with them.
    for kind, (_blob_field, sha_field) in FROZEN.items():
        logged = event.detail.get(sha_field)
        if logged and logged != getattr(certification, sha_field):
            problems.append(
                _("%(document)s: the recorded SHA-256 differs from the one in the audit trail")
                % {"document": LABELS[kind]}
            )
    return problems
