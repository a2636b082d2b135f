"""Voter codes: random secrets shown in short groups, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from django.conf import settings

# Crockford's base32: no I, L, O or U; typed I/L read as 1 and O as 0, so nothing is ambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 15  # 15 × 5 bits = 75 bits of randomness (≥ 64 required)
GROUP = 5
_TYPO = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """7KQ2M9XH4CTD8WZ → 7KQ2M-9XH4C-TD8WZ."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize(raw: str) -> str | None:
    """What a person typed or a scanner sent → the bare code, or None if it cannot be one.

    Accepts spaces, dashes, lower case, the usual letter/digit mix-ups, and a whole ballot URL
    from a handheld scanner (the code is in its #fragment).
    """
    text = raw.strip()
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    text = _SEPARATORS.sub("", text).upper().translate(_TYPO)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


@lru_cache(maxsize=1)
def _key() -> bytes:
    configured = getattr(settings, "VOTER_CODE_KEY", "")
    if configured:
        return configured.encode()
    # Derived from SECRET_KEY, so changing SECRET_KEY voids every printed slip.
    return hmac.new(settings.SECRET_KEY.encode(), b"tinnhiem voter codes", hashlib.sha256).digest()


def code_hash(code: str) -> str:
    return hmac.new(_key(), code.encode(), hashlib.sha256).hexdigest()
