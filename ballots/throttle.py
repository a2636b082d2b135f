"""Throttling wrong voter codes, per device first, per network address only far above.

A device is the browser's session (a cookie), not its IP: a whole hall typically sits behind
one Wi-Fi router, and locking that address would lock the hall. The network limit is high
enough that a hall's honest typos never reach it, and stops a single machine rotating cookies.
The code space (75 bits) makes guessing hopeless anyway; this keeps it so. See
docs/threat-model.md for the arithmetic.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "code-guess"


def _device(request: HttpRequest, *, create: bool) -> str | None:
    if not request.session.session_key:
        if not create:
            return None  # no session yet: this device has never entered a wrong code
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()[:32]


def _network(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _keys(request: HttpRequest, *, create: bool) -> dict[str, int]:
    keys = {f"{PREFIX}:net:{_network(request)}": settings.CODE_GUESS_NETWORK_LIMIT}
    device = _device(request, create=create)
    if device is not None:
        keys[f"{PREFIX}:device:{device}"] = settings.CODE_GUESS_DEVICE_LIMIT
    return keys


def locked(request: HttpRequest) -> bool:
    """Too many wrong codes from this device (or, far more, this address) lately."""
    keys = _keys(request, create=False)
    counts = cache.get_many(list(keys))
    return any(counts.get(key, 0) >= limit for key, limit in keys.items())


def record_failure(request: HttpRequest) -> None:
    for key in _keys(request, create=True):
        if not cache.add(key, 1, timeout=settings.CODE_GUESS_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.CODE_GUESS_WINDOW)
