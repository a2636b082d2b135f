"""Why a voter's code or ballot is refused: the reason, the HTTP status, the words shown."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class BallotRefused(Exception):
    """Why a code or a ballot was refused, with the HTTP status to answer with."""

    MESSAGES = {
        "format": (
            400,
            gettext_noop(
                "This is not a voter code. A code has 15 letters and digits, e.g. "
                "7KQ2M-9XH4C-TD8WZ."
            ),
        ),
        "unknown": (404, gettext_noop("This code does not exist. Check it letter by letter.")),
        "inert": (
            403,
            gettext_noop(
                "This slip has not been activated at the desk yet. Ask the desk to activate it."
            ),
        ),
        "used": (
            409,
            gettext_noop(
                "A ballot has already been recorded with this code. Each code votes once."
            ),
        ),
        "void": (
            410,
            gettext_noop(
                "This code is void: the slips were reprinted or the session was changed. "
                "Ask the desk for a new slip."
            ),
        ),
        "not_open": (
            403,
            gettext_noop("Voting has not opened yet. Please wait for the chair to open it."),
        ),
        "closed": (403, gettext_noop("Voting is closed. No more ballots can be cast.")),
        "throttled": (
            429,
            gettext_noop(
                "Too many wrong codes from this device. Ask the desk to unlock it, giving the "
                "device number below, or wait ten minutes."
            ),
        ),
        "unavailable": (
            503,
            gettext_noop(
                "The ballot box did not answer. Press the button again: if your ballot was "
                "already recorded you will be told so, and it never counts twice."
            ),
        ),
        "tampered": (
            400,
            gettext_noop(
                "This ballot does not match the session's ballot form. Nothing was "
                "recorded; start again from the code."
            ),
        ),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = self.MESSAGES[reason][0]

    @property
    def message(self) -> str:
        return _(self.MESSAGES[self.reason][1])
