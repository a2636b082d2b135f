"""Reads for the desk, the projector and the code page. Never a result while voting is open."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sessions.models import AuditEvent, Candidate, VotingSession
from sessions.selectors import Quorum, quorum

from .models import Ballot, ClosingCount, CountSheet, Mark, PaperEntry, VoterCode

State = VoterCode.State


@dataclass(frozen=True)
class Turnout:
    quorum: Quorum
    printed: int  # codes of the current printing
    issued: int  # slips activated at the desk: the ballots issued
    cast: int  # codes used: the ballots cast


def turnout(session: VotingSession) -> Turnout:
    counts = VoterCode.objects.filter(session=session, epoch=session.ready_count).aggregate(
        printed=Count("pk", filter=~Q(state=State.VOID)),
        issued=Count("pk", filter=Q(state__in=[State.ACTIVE, State.USED, State.UNUSED])),
        cast=Count("pk", filter=Q(state=State.USED)),
    )
    figures = quorum(session)
    if figures.summoned == 0:  # no voter list (an imported count): the committee's figures
        sheet = CountSheet.objects.filter(session=session).first()
        if sheet is not None and sheet.summoned:
            figures = Quorum(present=sheet.present or 0, summoned=sheet.summoned)
    return Turnout(quorum=figures, **counts)


def marks_count(session: VotingSession) -> dict[tuple[int, str], int]:
    """An electronic session's marks counted by person and level, whole-invalid ballots left out.

    Every ballot of an electronic session counts, and a ballot's marks are for its own session's
    people (voting.py checks them against the session's ballot): so its marks are counted by
    person without joining the ballots (45 % of a 10,000-ballot count on PostgreSQL, issue 15),
    less those of whole-invalid ballots, if any.
    """
    people = list(Candidate.objects.filter(session=session).values_list("pk", flat=True))
    counts = marks_by_person(Mark.objects.filter(candidate_id__in=people))
    if Ballot.objects.filter(session=session, whole_invalid=True).exists():
        void = marks_by_person(
            Mark.objects.filter(ballot__session=session, ballot__whole_invalid=True)
        )
        counts = {key: n - void.get(key, 0) for key, n in counts.items()}
    return counts


def marks_by_person(marks) -> dict[tuple[int, str], int]:
    """{(person, level): how many} of these marks."""
    rows = marks.values("candidate_id", "level").annotate(n=Count("pk"))
    return {(row["candidate_id"], row["level"]): row["n"] for row in rows}


def counts_digest(counts: dict[tuple[int, str], int]) -> str:
    """SHA-256 of counts by person and level, in a canonical order: what the close writes into
    its signed audit event, so that certification can tell the marks still give the same."""
    rows = sorted([candidate_id, level, n] for (candidate_id, level), n in counts.items() if n)
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def closing_digest(session: VotingSession) -> str | None:
    """The counts' digest recorded by the session's close (None: closed before it was)."""
    detail = (
        AuditEvent.objects.filter(session=session, action="voting_closed")
        .order_by("-pk")
        .values_list("detail", flat=True)
        .first()
    )
    digest = (detail or {}).get("counts_sha256")
    return digest if isinstance(digest, str) else None


def closing_counts(session: VotingSession) -> dict[tuple[int, str], int] | None:
    """The counts kept when voting closed (services.session_close); None if none were kept
    (a session closed before they were, or one closed with no ballot)."""
    rows = ClosingCount.objects.filter(session=session).values_list(
        "candidate_id", "level", "count"
    )
    return {(candidate_id, level): n for candidate_id, level, n in rows} or None


@dataclass(frozen=True)
class Disagreement:
    what: str  # a candidate's name, or a ballot figure
    level: str  # a level's label, or ""
    a: int
    b: int


def entry_totals(entry: PaperEntry) -> dict[tuple[int | str, str], int]:
    """What one pass through the pile adds up to: ballots, whole-invalid, and each mark."""
    ballots = Ballot.objects.filter(entry=entry).aggregate(
        collected=Count("pk"), whole_invalid=Count("pk", filter=Q(whole_invalid=True))
    )
    totals: dict[tuple[int | str, str], int] = {
        ("collected", ""): ballots["collected"],
        ("whole_invalid", ""): ballots["whole_invalid"],
    }
    marks = (
        Mark.objects.filter(ballot__entry=entry)
        .values("candidate_id", "level")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "level", "n")
    )
    totals.update({(candidate_id, level): n for candidate_id, level, n in marks})
    return totals


def entries_disagreements(session: VotingSession) -> list[Disagreement]:
    """Double entry: every figure on which the two passes through the pile differ."""
    entries = {e.label: e for e in PaperEntry.objects.filter(session=session)}
    if set(entries) != {"A", "B"}:
        return []
    a, b = entry_totals(entries["A"]), entry_totals(entries["B"])
    names = dict(Candidate.objects.filter(session=session).values_list("pk", "official__full_name"))
    labels = {**dict(Mark.Level.choices), "": ""}
    figure_labels = {
        "collected": _("Ballots entered"),
        "whole_invalid": _("Whole ballots invalid"),
    }
    out = []
    for key in sorted(set(a) | set(b), key=str):
        if a.get(key, 0) != b.get(key, 0):
            what, level = key
            name = figure_labels.get(what) if isinstance(what, str) else names.get(what, "?")
            out.append(Disagreement(str(name), str(labels[level]), a.get(key, 0), b.get(key, 0)))
    return out


def reconciled(session: VotingSession) -> bool:
    """Single entry finished, or both entries finished and equal in every figure."""
    entries = {e.label: e for e in PaperEntry.objects.filter(session=session)}
    if "A" not in entries or any(e.state != PaperEntry.State.DONE for e in entries.values()):
        return False
    return "B" not in entries or not entries_disagreements(session)
