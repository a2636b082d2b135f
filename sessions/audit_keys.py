"""The keys of the audit chain: HMAC-SHA256 under secrets kept out of the database.

Each event records the id of the key that signed it (a short fingerprint, never the key), so a
rotation keeps every chain verifiable: AUDIT_KEY signs new events, and the keys listed in
AUDIT_KEYS_OLD still verify the events they signed (docs/deployment.md, "Audit key").
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

# Events hashed with plain SHA-256 before the chain was keyed, left so by migration 0004 only
# where their chain was already broken: they never verify.
LEGACY_KEY_ID = "sha256"


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes = field(repr=False)


def key_id(secret: bytes) -> str:
    """A short, public name for a key: 64 bits of an HMAC under it, which reveal nothing of it."""
    return hmac.new(secret, b"tinnhiem audit key id", hashlib.sha256).hexdigest()[:16]


def _key(secret: bytes) -> AuditKey:
    return AuditKey(id=key_id(secret), secret=secret)


def current_key() -> AuditKey:
    """The key new events are signed with."""
    configured = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return _key(configured.encode())
    # Development only (settings refuse to start without AUDIT_KEY when DEBUG is off): derived
    # from SECRET_KEY under its own label, so it is not the voter-code key.
    return _key(hmac.new(settings.SECRET_KEY.encode(), b"tinnhiem audit chain", "sha256").digest())


def keyring() -> dict[str, AuditKey]:
    """Every key that verifies, by id: the current one and the old ones."""
    keys = [_key(old.encode()) for old in getattr(settings, "AUDIT_KEYS_OLD", [])]
    current = current_key()
    return {**{key.id: key for key in keys}, current.id: current}
