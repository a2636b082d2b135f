"""Throttling wrong voter codes, per device first, per network address only far above.

A device is a random id in its own cookie, not the IP: a whole hall typically sits behind one
Wi-Fi router, and locking that address would lock the hall. The network limit is high enough
that a hall's honest typos never reach it, and stops a single machine rotating cookies. The
code space (75 bits) makes guessing hopeless anyway; this keeps it so. See
docs/threat-model.md for the arithmetic.

Counting is atomic in the database, whichever worker or server answers. The code is read in
the same statement as the request's buckets are tested (`Buckets.locked`, tested first: a locked
device's request reads no code and is refused). Only a code that is not one (malformed or
unknown: a guess) is then counted, by one `INSERT … ON CONFLICT DO UPDATE SET count = count + 1
WHERE count < limit … RETURNING` in each of the request's buckets (the conflicting row is locked
and its latest version tested); if a bucket was at its limit, the guess is refused as throttled
and counts nowhere. So of any number of simultaneous wrong codes, exactly the limit are answered
"unknown", and a right code, the common case, costs one read and writes nothing (issue 15: the
check was reserved before the lookup and given back after it, three writes on every ballot page,
all on the hall's one address row).

Once a code has been found right, the ballot page carries a voucher for it (an HMAC of that
code under the server's key): the review and the cast, which send the same code back, skip the
count. A voucher names one code its bearer already has, so it gives no guessing power; it spares
an honest voter two of the three counted checks (two writes each).

A locked device shows a short number (device_number), derived from the same keyed hash as its
bucket: the desk types it to unlock that device (device_forgive, through services.device_unlock,
which writes the audit event). The number names a throttle bucket, never a voter or a code, and
unlocking forgives only that device's count: the per-address limit still stands.

Nothing here keeps a time finer than the window, or creates a django_session row: a row holds
a keyed hash of the bucket, the window's number and a count, and old windows are deleted.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import codes
from .models import GuessCount

DEVICE_COOKIE = "device"
_DEVICE_ID = re.compile(r"\A[A-Za-z0-9_-]{22}\Z")  # secrets.token_urlsafe(16)

# The window this worker process last deleted older windows for (an optimisation only: every
# process deletes once per window, so the table never holds more than the last window or two).
_swept_window = -1


@dataclass
class Buckets:
    """A request's buckets in the current window, each with its limit."""

    window: int
    limits: dict[str, int]

    def locked(self) -> tuple[str, list]:
        """An SQL condition, and its parameters: some bucket is at its limit."""
        table, bucket, win, count = _sql()
        tests = " OR ".join([f"({bucket} = %s AND {count} >= %s)"] * len(self.limits))
        params: list[object] = [self.window]
        for name, limit in sorted(self.limits.items()):
            params += [name, limit]
        return f"EXISTS (SELECT 1 FROM {table} WHERE {win} = %s AND ({tests}))", params


def _window() -> int:
    return int(timezone.now().timestamp()) // settings.CODE_GUESS_WINDOW


def _bucket(kind: str, value: str) -> str:
    # Keyed, so that the table cannot be turned back into addresses by hashing all of IPv4.
    digest = salted_hmac("ballots.throttle", value, algorithm="sha256").hexdigest()
    return f"{kind}:{digest[:32]}"


DEVICE_NUMBER_DIGITS = 6
_DEVICE_NUMBER = re.compile(rf"\A\d{{{DEVICE_NUMBER_DIGITS}}}\Z")


def _number_of_bucket(bucket: str) -> str:
    """Six digits taken from a device bucket's keyed hash: short enough to read out at the desk."""
    digest = bucket.partition(":")[2]
    return f"{int(digest[:12], 16) % 10**DEVICE_NUMBER_DIGITS:0{DEVICE_NUMBER_DIGITS}d}"


def device_number(request: HttpRequest) -> str:
    """The short number a locked device shows, for the desk to unlock it ("" without an id)."""
    device = _device_id(request)
    return _number_of_bucket(_bucket("device", device)) if device is not None else ""


def normalize_device_number(raw: str) -> str | None:
    """What the desk typed ("123 456", "123-456"), as the six digits; None if it is not one."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    return digits if _DEVICE_NUMBER.match(digits) else None


def device_forgive(number: str) -> int:
    """Forget the wrong codes of the device(s) showing `number`; how many were forgotten.

    Deletes the rows in one statement per bucket: a guess racing it either counted before (and
    is forgotten) or starts again from zero, so the device gets at most the limit again.
    """
    window = _window()
    buckets = [
        bucket
        for bucket in GuessCount.objects.filter(
            window=window, bucket__startswith="device:"
        ).values_list("bucket", flat=True)
        if _number_of_bucket(bucket) == number
    ]
    if not buckets:
        return 0
    with transaction.atomic():
        rows = GuessCount.objects.filter(window=window, bucket__in=buckets)
        forgiven = sum(rows.select_for_update().values_list("count", flat=True))
        rows.delete()
    return forgiven


def _device_id(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if _DEVICE_ID.match(value) else None


def _limits(request: HttpRequest) -> dict[str, int]:
    limits = {
        _bucket("net", request.META.get("REMOTE_ADDR", "")): settings.CODE_GUESS_NETWORK_LIMIT
    }
    device = _device_id(request)
    if device is not None:
        limits[_bucket("device", device)] = settings.CODE_GUESS_DEVICE_LIMIT
    return limits


def _sql() -> tuple[str, str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(GuessCount._meta.db_table),
        quote("bucket"),
        quote("window"),
        quote("count"),
    )


def _add(window: int, limits: dict[str, int]) -> dict[str, int]:
    """Add one to each bucket's count in the window unless it is at its limit, atomically.

    One statement (an upsert whose update has a WHERE): the buckets counted, with their new
    counts; a bucket already at its limit is left as it is and missing from the answer. Rows in
    sorted order: PostgreSQL locks them in that order whoever runs it, so two requests sharing an
    address and a device cannot deadlock.
    """
    table, bucket, win, count = _sql()
    names = sorted(limits)
    values: list[object] = []
    cases: list[object] = []
    for name in names:
        values += [name, window]
        cases += [name, limits[name]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({bucket}, {win}, {count}) "
            f"VALUES {', '.join(['(%s, %s, 1)'] * len(names))} "
            f"ON CONFLICT ({bucket}, {win}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"WHERE {table}.{count} < CASE {table}.{bucket} "
            f"{' '.join(['WHEN %s THEN %s'] * len(names))} END "
            f"RETURNING {bucket}, {count}",
            [*values, *cases],
        )
        return dict(cursor.fetchall())


def _take(window: int, buckets: list[str]) -> None:
    """Take one back from each bucket (one statement); a bucket back at zero leaves no row.

    The delete is a second statement only when a count reached zero, and it deletes only rows
    still at zero: a guess counted in between keeps its row.
    """
    table, bucket, win, count = _sql()
    names = sorted(buckets)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} - 1 "
            f"WHERE {win} = %s AND {bucket} IN ({', '.join(['%s'] * len(names))}) "
            f"RETURNING {bucket}, {count}",
            [window, *names],
        )
        empty = [name for name, left in cursor.fetchall() if left <= 0]
    if empty:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {win} = %s AND {count} <= 0 "
                f"AND {bucket} IN ({', '.join(['%s'] * len(empty))})",
                [window, *empty],
            )


def _sweep(window: int) -> None:
    global _swept_window
    if window != _swept_window:
        GuessCount.objects.filter(window__lt=window).delete()
        _swept_window = window


def voucher(raw: str) -> str:
    """For a code just found right: what the ballot page sends back with it (see the module)."""
    code = codes.normalize(raw)
    if code is None:
        return ""
    return salted_hmac("ballots.throttle.voucher", code, algorithm="sha256").hexdigest()


def vouched(raw: str, token: str) -> bool:
    """The code comes back with the voucher it was given: a known code, not a guess."""
    expected = voucher(raw)
    return bool(expected) and constant_time_compare(expected, token)


def buckets(request: HttpRequest) -> Buckets:
    """This request's buckets, to test with the code's read (voting.ballot_open `locked`)."""
    window = _window()
    _sweep(window)
    return Buckets(window=window, limits=_limits(request))


def count_guess(request: HttpRequest, found: Buckets) -> bool:
    """A wrong code: count it in each bucket, in one statement; False (and nothing counted) when
    a bucket was at its limit. A device without an id gets one now, counted with this guess."""
    limits = dict(found.limits)
    device = None
    if _device_id(request) is None:
        device = secrets.token_urlsafe(16)
        limits[_bucket("device", device)] = settings.CODE_GUESS_DEVICE_LIMIT
    counted = _add(found.window, limits)
    if len(counted) != len(limits):
        if counted:
            _take(found.window, list(counted))  # a bucket was at its limit: no guess counted
        return False
    if device is not None:
        request.new_device_id = device  # set as a cookie on the response (remember_device)
    return True


def remember_device(request: HttpRequest, response: HttpResponse) -> None:
    """Give a device that has just entered its first wrong code its id, in its own cookie.

    A random token, not a session: it only names a throttle bucket, so no django_session row
    (and no expiry date) is ever written for a voter. It lives until the browser closes.
    """
    device = getattr(request, "new_device_id", None)
    if device is not None:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            path=reverse("ballots:start"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
