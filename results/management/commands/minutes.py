"""Write a session's minutes (the frozen ones once certified, else a draft) to a PDF file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from results import documents
from results.frozen import (
    AlteredRecord,
    FrozenDocumentMismatch,
    session_result,
    verified_blob,
)
from results.management.commands.results import SESSION_HELP, find_session
from results.models import Certification


class Command(BaseCommand):
    help = "Write the minutes (biên bản kiểm phiếu) of a closed session as PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session", help=SESSION_HELP)
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        session = find_session(options["session"])
        certification = Certification.objects.filter(session=session).first()
        if certification is not None and options["language"] == "vi":
            try:
                pdf = verified_blob(certification, "minutes")
            except FrozenDocumentMismatch as exc:
                raise CommandError(f"{exc}; not written (see manage.py verify_audit).") from exc
            kind = "certified"
        else:
            try:
                result = session_result(session)  # the frozen figures once certified
            except AlteredRecord as exc:
                raise CommandError(
                    f"the certified results of session {options['session']!r} do not match "
                    "their SHA-256; not re-rendered (see the log)"
                ) from exc
            fingerprint = (
                certification.ballot_set_sha256
                if certification is not None
                else documents.sha256(documents.ballot_set_csv(session, result))
            )
            pdf = documents.minutes_pdf(
                result,
                ballot_set_sha256=fingerprint,
                audit_head=documents.certified_audit_head(certification) if certification else None,
                language=options["language"],
            )
            kind = "draft" if certification is None else "certified (re-rendered)"
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(f"Wrote the {kind} minutes to {options['output']} ({len(pdf)} bytes).")
