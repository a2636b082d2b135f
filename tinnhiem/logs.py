"""What the logs may say about voters: nothing about a ballot request, and no checked-in person.

A log line has a time (its own, or the one journald or the file adds), and its place among the
others is an order. So:

- A request to the voter pages (`/b/…`), or made from one (its Referer: the styles a ballot page
  loads, the language switch), is not logged at all: no time of a ballot request, no order of
  casts, no phone's address next to either. Leaving the line out, rather than its time, is what
  removes the order too.
- A check-in URL names the voter's id: `/sessions/3/desk/17/check-in/` is logged as
  `/sessions/3/desk/*/check-in/`.
- Query strings are logged as `?*`: the desk's search is a person's name, typed just before the
  check-in.
- Response sizes are logged as `-`: the desk page after a check-in names who is present, so
  its size alone could tell whom a check-in was for.

`AccessLogger` applies this to gunicorn's access and error logs (gunicorn.conf.py);
`VoterPrivacyFilter` to Django's own log records (settings.LOGGING). A server error on a voter
page (ERROR and above) is still logged, without code or choices: an operator must see that
voting is failing, and the request that failed stored no ballot. docs/deployment.md asks the
same of a reverse proxy.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from gunicorn import glogging

# ballots/urls.py: the voter pages (tests/security/test_logs.py checks the two agree).
VOTER_PAGES = re.compile(r"(?:^|/)b(?:/|$)")
CHECK_IN = re.compile(r"(/sessions/\d+/desk/)\d+(/check-in/)")
QUERY = re.compile(r"(/[^\s\"'?]*)\?[^\s\"']+")  # a query string after a path
VOTER_PATH_IN_TEXT = re.compile(r"(?:^|[\s\"'(])(?:/[^\s\"']*)?/b(?:/|[\s\"'?]|$)")
HIDDEN = "*"


def is_voter_request(path: str, referer: str = "") -> bool:
    """A request to a voter page, or made by one."""
    return bool(
        VOTER_PAGES.search(urlsplit(path).path)
        or (referer and VOTER_PAGES.search(urlsplit(referer).path))
    )


def redact(text: str) -> str:
    """Hide voter ids in check-in URLs and every query string in `text`."""
    return QUERY.sub(rf"\g<1>?{HIDDEN}", CHECK_IN.sub(rf"\g<1>{HIDDEN}\g<2>", text))


def _request_of(record: logging.LogRecord) -> tuple[str, str] | None:
    """Path and Referer of the request a Django record is about, if it says."""
    request = getattr(record, "request", None)
    meta = getattr(request, "META", None)
    if isinstance(meta, dict):  # django.request, django.security.*: an HttpRequest
        return getattr(request, "path", ""), meta.get("HTTP_REFERER", "")
    if record.name == "django.server" and record.args:  # runserver: '"POST /b/ HTTP/1.1"', …
        parts = str(record.args[0]).split()
        return (parts[1] if len(parts) > 1 else ""), ""
    return None


class VoterPrivacyFilter(logging.Filter):
    """Drop log records about voter requests (below ERROR); redact check-ins and queries."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the handler's to report
            return True
        about = _request_of(record)
        voter = (about is not None and is_voter_request(*about)) or bool(
            VOTER_PATH_IN_TEXT.search(message)
        )
        if voter and record.levelno < logging.ERROR:
            return False
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


class AccessLogger(glogging.Logger):
    """gunicorn's logger, minus the voter requests and the voters' ids (see the module)."""

    # Atoms that copy a URL, or a sign-in, into an access_log_format (the default or another).
    URL_ATOMS = (
        "r",
        "U",
        "f",
        "{referer}i",
        "{raw_uri}e",
        "{path_info}e",
        "{http_referer}e",
    )
    SIZE_ATOMS = ("b", "B", "{content-length}o", "{content_length}e")
    SECRET_ATOMS = ("{cookie}i", "{authorization}i", "{http_cookie}e", "{http_authorization}e")

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)  # also run again on a configuration reload (SIGHUP)
        if not any(isinstance(f, VoterPrivacyFilter) for f in self.error_log.filters):
            self.error_log.addFilter(VoterPrivacyFilter())

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        if is_voter_request(environ.get("PATH_INFO") or "", environ.get("HTTP_REFERER") or ""):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in self.URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        for key in ("q", "{query_string}e"):
            if atoms.get(key):
                atoms[key] = HIDDEN
        for key in self.SECRET_ATOMS:
            if key in atoms:
                atoms[key] = HIDDEN
        # A page's size can name who it shows: the desk after a check-in says who is present.
        for key in self.SIZE_ATOMS:
            if key in atoms:
                atoms[key] = "-"
        return atoms
