"""Check every session's keyed audit chain and frozen documents; report what breaks.

Prints each session's event count and chain head, to compare with the head printed in the
certified minutes (deleting the last events leaves a chain that verifies, but a shorter one).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation

from sessions.integrity import session_problems
from sessions.models import VotingSession
from sessions.selectors import audit_chain_check, audit_printed_heads


class Command(BaseCommand):
    help = (
        "Verify the audit trail's keyed hash chains and the frozen documents' fingerprints "
        "(exit status 1 if anything does not verify)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--session", help="only this session (its number, or the public id of its links)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sessions = VotingSession.objects.order_by("pk")
        wanted = options["session"]
        if wanted:
            match = Q(public_id=wanted) | (Q(pk=int(wanted)) if wanted.isdecimal() else Q())
            sessions = sessions.filter(match)
            if not sessions.exists():
                raise CommandError(f"No session {wanted!r} (give its number or its public id).")
        broken = 0
        checked = 0
        with translation.override("en"):  # for operators and scripts, like every command
            for session in sessions.iterator():
                checked += 1
                check = audit_chain_check(session)
                problems = [str(check.broken)] if check.broken else []
                problems += session_problems(session)
                printed = audit_printed_heads(session)
                problems += [
                    f"the trail no longer matches the head printed at certification "
                    f"({p.count} events, head {p.short})"
                    for p in printed
                    if not p.matches
                ]
                name = f"session {session.pk} ({session.title})"
                if problems:
                    broken += 1
                    for problem in problems:
                        self.stdout.write(f"{name}: {problem}")
                else:
                    head = check.head
                    line = f"{name}: {head.count} events, head {head.short}"
                    for p in printed:
                        line += f"; printed in the minutes: {p.count} events, head {p.short}"
                    self.stdout.write(line)
        if broken:
            raise CommandError(f"{broken} of {checked} sessions do not verify")
        self.stdout.write(
            f"All {checked} audit chains are intact and every frozen document matches."
        )
