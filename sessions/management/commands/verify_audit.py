"""Check every session's keyed audit chain and frozen documents; report what breaks.

Prints each session's event count and chain head, to compare with the head printed in the
certified minutes (deleting the last events leaves a chain that verifies, but a shorter one).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from sessions.integrity import session_problems
from sessions.models import VotingSession
from sessions.selectors import audit_chain_check


class Command(BaseCommand):
    help = (
        "Verify the audit trail's keyed hash chains and the frozen documents' fingerprints "
        "(exit status 1 if anything does not verify)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--session", type=int, help="only this session (number)")

    def handle(self, *args: Any, **options: Any) -> None:
        sessions = VotingSession.objects.order_by("pk")
        if options["session"]:
            sessions = sessions.filter(pk=options["session"])
        broken = 0
        checked = 0
        with translation.override("en"):  # for operators and scripts, like every command
            for session in sessions.iterator():
                checked += 1
                check = audit_chain_check(session)
                problems = [str(check.broken)] if check.broken else []
                problems += session_problems(session)
                name = f"session {session.pk} ({session.title})"
                if problems:
                    broken += 1
                    for problem in problems:
                        self.stdout.write(f"{name}: {problem}")
                else:
                    head = check.head
                    self.stdout.write(f"{name}: {head.count} events, head {head.short}")
        if broken:
            raise CommandError(f"{broken} of {checked} sessions do not verify")
        self.stdout.write(
            f"All {checked} audit chains are intact and every frozen document matches."
        )
