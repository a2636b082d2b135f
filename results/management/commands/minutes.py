"""Write a session's minutes (the frozen ones once certified, else a draft) to a PDF file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.frozen import AlteredRecord, FrozenDocumentMismatch, session_minutes
from results.management.commands.results import SESSION_HELP, find_session


class Command(BaseCommand):
    help = "Write the minutes (biên bản kiểm phiếu) of a closed session as PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session", help=SESSION_HELP)
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        session = find_session(options["session"])
        language = options["language"]
        try:
            found = session_minutes(session, language=language, reading_copy=language != "vi")
        except FrozenDocumentMismatch as exc:
            raise CommandError(f"{exc}; not written (see manage.py verify_audit).") from exc
        except AlteredRecord as exc:
            raise CommandError(
                f"the certified results of session {options['session']!r} do not match "
                "their SHA-256; not re-rendered (see the log)"
            ) from exc
        Path(options["output"]).write_bytes(found.pdf)
        self.stdout.write(
            f"Wrote the {found.kind} minutes to {options['output']} ({len(found.pdf)} bytes)."
        )
