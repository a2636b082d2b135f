"""Print a closed session's results as the API's JSON document (the frozen one once certified)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.frozen import AlteredRecord, result_document
from sessions.models import VotingSession

# Ids made before new_public_id() skipped a leading "-" may still start with one.
SESSION_HELP = 'public id (or number) of the session; after "--" if it starts with "-": -- -AbC12'


def find_session(ref: str) -> VotingSession:
    """A session by public id, or by number."""
    session = VotingSession.objects.select_related("organization").filter(public_id=ref).first()
    if session is None and ref.isascii() and ref.isdigit():
        session = VotingSession.objects.select_related("organization").filter(pk=ref).first()
    if session is None:
        raise CommandError(f"no session {ref!r}")
    if not session.is_counted:
        raise CommandError(f"session {ref!r} is {session.status}: results exist once voting closed")
    return session


class Command(BaseCommand):
    help = "Print a closed session's results as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session", help=SESSION_HELP)
        parser.add_argument("--format", default="json", choices=["json"])

    def handle(self, *args: Any, **options: Any) -> None:
        session = find_session(options["session"])
        try:
            document = result_document(session)
        except AlteredRecord as exc:
            raise CommandError(
                f"the certified results of session {options['session']!r} do not match their "
                "SHA-256; not printed (see the log)"
            ) from exc
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
