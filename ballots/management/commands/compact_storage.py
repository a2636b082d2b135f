"""Rewrite the ballot, mark, code and voter tables so no old row version survives."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ballots.storage import SECRET_TABLES, storage_compact


class Command(BaseCommand):
    help = (
        "Rewrite the secret tables into new files (PostgreSQL VACUUM FULL; SQLite VACUUM and WAL "
        "truncation). Voting closes run this by themselves; rerun it if a close was interrupted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not storage_compact():
            raise CommandError("Compaction did not complete; see the log above.")
        self.stdout.write(f"Rewritten: {', '.join(SECRET_TABLES)}.")
