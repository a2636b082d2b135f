"""Check every session's audit hash chain; report the first broken link of each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions.models import VotingSession
from sessions.selectors import audit_chain_break


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains (exit status 1 if any link is broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--session", type=int, help="only this session (number)")

    def handle(self, *args: Any, **options: Any) -> None:
        sessions = VotingSession.objects.order_by("pk")
        if options["session"]:
            sessions = sessions.filter(pk=options["session"])
        broken = 0
        checked = 0
        for session in sessions:
            checked += 1
            problem = audit_chain_break(session)
            if problem:
                broken += 1
                self.stdout.write(f"session {session.pk} ({session.title}): {problem}")
        if broken:
            raise CommandError(f"{broken} of {checked} audit chains are broken")
        self.stdout.write(f"All {checked} audit chains are intact.")
