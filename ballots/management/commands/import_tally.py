"""Bring in a counted tally sheet (CSV/XLSX) as a closed "paper tally" session, ready to certify.

What the sheet does not say (subject, place, start time, present, committee) may be given as
options, or filled in later on the session's pages until the results are certified; a figure not
given stays unknown. Each row continues the history of the body's official with the same name
(`--match-officials`, ballots.tally_matching) or becomes a new official (`--new-officials`);
when the body already has officials one of the two must be chosen. Prints the new session's
public id alone on its last line, for scripts.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ballots.paper import system_user, tally_import
from ballots.tally_checks import (
    committee_problems,
    committee_rows,
    date_problems,
    parse_count,
    tally_import_problems,
)
from ballots.tally_file import TallyRow, parse_tally_file
from ballots.tally_matching import links_problems, rows_matched
from sessions.imports import clean_text
from sessions.models import Official, Organization
from sessions.regimes import PROCEDURES, REGIMES

REPEATED = "append"  # argparse: the option may be given once per committee member
FLAG = "store_true"  # argparse: an option without a value


def _time(text: str) -> datetime.time:
    """HH:MM, a local time of day: no time zone (the session's date and place say where)."""
    try:
        value = datetime.time.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--start-time: “{text}” is not a time (HH:MM)") from exc
    if value.tzinfo is not None:
        raise CommandError(f"--start-time: “{text}”: give the local time, without a time zone")
    return value


def _count(text: str) -> int:
    """A figure read as the file's counts are (tally_checks.parse_count)."""
    value, problem = parse_count(text)
    if value is None:
        raise CommandError(problem)
    return value


class Command(BaseCommand):
    help = "Import a tally sheet as a closed paper-tally session."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file, one row per candidate")
        parser.add_argument("--title", required=True)
        parser.add_argument("--regime", required=True, choices=list(REGIMES))
        parser.add_argument("--procedure", default="rating", choices=list(PROCEDURES))
        parser.add_argument("--collected", required=True, type=_count, help="ballots collected")
        parser.add_argument("--issued", type=_count, help="ballots issued")
        parser.add_argument("--summoned", type=_count, help="people summoned (nq85: members)")
        parser.add_argument("--organization", default="", help="organization name")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--place", default="", help="where the count took place")
        parser.add_argument(
            "--subject", default="", help="the positions rated: 'Lấy phiếu tín nhiệm đối với …'"
        )
        parser.add_argument("--start-time", type=_time, help="HH:MM, when the count began")
        parser.add_argument("--present", type=_count, help="people present")
        parser.add_argument(
            "--committee-head", default="", help="'Full name, position': head of the committee"
        )
        parser.add_argument(
            "--committee-member",
            action=REPEATED,
            default=[],
            help="'Full name, position': a committee member (repeat for each)",
        )
        linking = parser.add_mutually_exclusive_group()
        linking.add_argument(
            "--match-officials",
            action=FLAG,
            help="link each row to the body's official with the same name (case and diacritics "
            "ignored); a row without one becomes a new official; two such officials refuse",
        )
        linking.add_argument(
            "--new-officials",
            action=FLAG,
            help="every row becomes a new official (no link to earlier years)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        collected, issued = options["collected"], options["issued"]
        summoned, present = options["summoned"], options["present"]
        # The command line reaches no middleware: its text gets the imports' cleaning (NFC,
        # controls and invisible characters out, one line).
        for key in ("title", "place", "subject", "organization", "committee_head"):
            options[key] = clean_text(options[key])
        options["committee_member"] = [clean_text(m) for m in options["committee_member"]]
        head, members = options["committee_head"], options["committee_member"]
        problems = tally_import_problems(
            regime=options["regime"],
            collected=collected,
            issued=issued,
            summoned=summoned,
            present=present,
        ) + committee_problems(head=head, members=members, field="committee")
        problems += date_problems(options["date"])
        if problems:
            raise CommandError(" ".join(f"--{p.field}: {p.message}" for p in problems))
        parsed = parse_tally_file(
            path.name, path.read_bytes(), procedure=options["procedure"], collected=collected
        )
        if not parsed.ok:
            for problem in parsed.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError("nothing imported")
        name = options["organization"] or "Kết quả nhập từ tệp"
        try:
            Organization._meta.get_field("name").run_validators(name)
        except ValidationError as exc:
            raise CommandError("--organization: " + " ".join(exc.messages)) from exc
        # An existing body whatever the capitals ("ea" is the body "EA"), not a second one.
        existing = Organization.objects.filter(name=name).first() or (
            Organization.objects.filter(name__iexact=name).order_by("pk").first()
        )
        links = self._links(existing, parsed.rows, options)
        organization, created = (existing, False) if existing else (None, True)
        if organization is None:
            organization = Organization.objects.create(
                name=name, kind=REGIMES[options["regime"]].organization_kind
            )
        try:
            session = tally_import(
                actor=system_user(),
                organization=organization,
                title=options["title"],
                regime=options["regime"],
                procedure=options["procedure"],
                date=options["date"] or timezone.localdate(),
                rows=parsed.rows,
                collected=collected,
                issued=issued,
                summoned=summoned,
                present=present,
                place=options["place"],
                subject=options["subject"],
                start_time=options["start_time"],
                committee=committee_rows(head=head, members=members),
                links=links,
            )
        except ValidationError as exc:
            if created:  # nothing half-applied: the body made for this import goes too
                organization.delete()
            raise CommandError("; ".join(exc.messages)) from exc
        for row in parsed.rows:
            if row.line in links:
                official = links[row.line]
                self.stdout.write(f"row {row.line}: {row.full_name} → official #{official.pk}")
        self.stdout.write(
            f"Imported {len(parsed.rows)} candidates into “{session.title}” (closed, paper tally)."
        )
        self.stdout.write(session.public_id)

    def _links(
        self, organization: Organization | None, rows: list[TallyRow], options: dict[str, Any]
    ) -> dict[int, Official]:
        """File line → the body's official that row continues (--match-officials)."""
        if options["new_officials"]:
            return {}
        if not options["match_officials"]:
            if organization is not None and organization.officials.exists():
                raise CommandError(
                    f"“{organization.name}” already has officials: give --match-officials "
                    "(continue their history, matching names) or --new-officials (new people)"
                )
            return {}
        matches, problems = rows_matched(organization, rows)
        links = {m.row.line: m.official for m in matches if m.official is not None}
        problems += links_problems(rows, links)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError("nothing imported")
        return links
