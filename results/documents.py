"""Everything a result is published as: JSON, CSV/XLSX tables, the ballot set, the PDFs."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.document import Document

from ballots.models import Mark
from sessions.collation import committee_order
from sessions.models import AuditEvent, VotingSession
from sessions.regimes import band_name
from sessions.selectors import AuditHead

from . import minutes_table
from .after_count import announcement_paper
from .minutes_document import heading_lines, minutes_context, national_heading
from .models import Certification
from .papers import paper_pdf
from .spreadsheets import Percent, csv_bytes, xlsx_bytes
from .tally import CandidateResult, SessionResult, counted_ballots

# Machine names of the levels (JSON, CSV): a vote of confidence says confidence/no_confidence.
MACHINE_LEVEL = {"yes": "confidence", "no": "no_confidence"}


def machine_level(level: str) -> str:
    return MACHINE_LEVEL.get(level, level)


def result_json(result: SessionResult) -> dict[str, Any]:
    """The results document of the API and of `manage.py results`. Percentages: "38.88"."""
    session = result.session
    return {
        "session": {
            "public_id": session.public_id,
            "title": session.title,
            "organization": session.organization.name,
            "date": session.date.isoformat(),
            "status": session.status,
            "regime": session.regime,
            "procedure": session.procedure,
            "mode": session.mode,
            "summoned": result.summoned,
            "present": result.present,
            "issued": result.issued,
            "collected": result.collected,
            "invalid_ballots": result.whole_invalid,
            "valid_ballots": result.valid,
            "denominator": result.denominator,
        },
        "candidates": [
            {
                "order": line.number,
                "name": line.candidate.official.full_name,
                "position": line.candidate.position,
                "counts": {
                    **{machine_level(lr.level): lr.count for lr in line.levels},
                    "invalid": line.invalid,
                },
                "percent": {
                    **{machine_level(lr.level): f"{lr.percent:.2f}" for lr in line.levels},
                    "invalid": f"{line.invalid_percent:.2f}",
                },
                "band": line.band_code,
                "consequence": str(line.band.consequence) if line.band else "",
            }
            for line in result.candidates
        ],
    }


def frozen_document(result: SessionResult) -> dict[str, Any]:
    """What certification freezes: the results document as certified, in Vietnamese (the legal
    language of the record, whatever the language of the certifying browser), without the
    session's status, which still moves (certified ⇄ published) and is read from the live
    session row whenever the document is served; with the ids linking each line to its
    candidate and official (not in the API's document)."""
    with translation.override("vi"):
        document = result_json(result)
    del document["session"]["status"]
    # Which line is whose, by id: the pages link a line to the live candidate and official, so
    # a line re-pointed or reordered in the database afterwards no longer fits the record.
    document["links"] = [
        {"candidate": line.candidate.pk, "official": line.candidate.official_id}
        for line in result.candidates
    ]
    return document


def canonical_json(document: dict[str, Any]) -> bytes:
    """The bytes a results document's SHA-256 is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def result_rows(result: SessionResult) -> tuple[list[str], list[list[Any]]]:
    """The results table of the CSV and XLSX exports, headed in the interface language.

    Per level and for invalid lines: the count, then the percentage (a `Percent`: dot decimals
    in CSV, a number with a percent format in XLSX). The band in words. The JSON API keeps its
    stable English keys (`result_json`); this table is for people.
    """
    labels = [str(label) for _value, label in result.session.levels()] + [_("Invalid lines")]
    header = [_("No."), _("Full name"), _("Position(s)")]
    for label in labels:
        header += [
            _("%(label)s (votes)") % {"label": label},
            _("%(label)s (%%)") % {"label": label},
        ]
    header += [_("Band"), _("Denominator")]
    rows = []
    for line in result.candidates:
        row: list[Any] = [line.number, line.candidate.official.full_name, line.candidate.position]
        rows.append(row + figure_cells(line, result.denominator))
    return header, rows


def figure_cells(line: CandidateResult, denominator: int) -> list[Any]:
    """A person's figures as table cells: each level's count and `Percent`, the invalid lines
    and theirs, the band in words, the denominator (the results export, the campaign report)."""
    cells: list[Any] = []
    for lr in line.levels:
        cells += [lr.count, Percent(lr.percent)]
    return cells + [
        line.invalid,
        Percent(line.invalid_percent),
        str(band_name(line.band_code)),
        denominator,
    ]


def result_csv(result: SessionResult) -> bytes:
    header, rows = result_rows(result)
    return csv_bytes([header, *rows], bom=True)  # BOM: Excel opens UTF-8 correctly


def result_xlsx(result: SessionResult) -> bytes:
    header, rows = result_rows(result)
    return xlsx_bytes(_("Results"), header, rows)


def ballot_set_csv(session: VotingSession, result: SessionResult) -> bytes:
    """The anonymized ballots: one row per ballot in a fresh random order, no ids at all.

    Columns: "ballot" (valid / invalid for a whole-invalid ballot), then one column per person
    (by STT) with the level or "invalid". For a tally sheet, which has no ballots, the counts.
    Anyone holding this file can recount every figure of the minutes. A machine format, frozen
    at certification: English column names and level codes whatever the interface language.

    Free text appears only in a tally sheet's names, written through `csv_bytes` like every
    export (a formula-like name behind an apostrophe; docs/fingerprints.md). Ballot sets
    certified before that are served as stored: their SHA-256 is over the stored bytes.
    """
    candidates = [line.candidate for line in result.candidates]
    if session.mode == VotingSession.Mode.PAPER_TALLY:
        rows: list[list[Any]] = [["order", "name", "level", "count"]]
        for line in result.candidates:
            name = line.candidate.official.full_name
            rows += [[line.number, name, machine_level(lr.level), lr.count] for lr in line.levels]
            rows.append([line.number, name, "invalid", line.invalid])
        return csv_bytes(rows, lineterminator="\n")
    ballots: dict[Any, dict[int, str]] = {}
    invalid_ballots = 0
    for ballot_id, whole_invalid in counted_ballots(session).values_list("id", "whole_invalid"):
        if whole_invalid:
            invalid_ballots += 1
        else:
            ballots[ballot_id] = {}
    for ballot_id, candidate_id, level in Mark.objects.filter(
        ballot__in=counted_ballots(session), ballot__whole_invalid=False
    ).values_list("ballot_id", "candidate_id", "level"):
        ballots[ballot_id][candidate_id] = level
    rows = [
        ["valid", *[machine_level(marks.get(c.pk, "invalid")) for c in candidates]]
        for marks in ballots.values()
    ]
    rows += [["invalid", *["" for _c in candidates]] for _n in range(invalid_ballots)]
    random.SystemRandom().shuffle(rows)
    header = ["ballot", *[str(i) for i in range(1, len(candidates) + 1)]]
    return csv_bytes([header, *rows], lineterminator="\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _document_context(result: SessionResult, **extra: Any) -> dict[str, Any]:
    session = result.session
    heading, motto = national_heading(session.organization)
    committee = committee_order(session.committee.all())
    return {
        "result": result,
        "session": session,
        "organization": session.organization,
        "org_lines": session.organization.document_name_lines(),
        "heading_lines": heading_lines(session.organization),
        "party": session.organization.kind == session.organization.Kind.PARTY,
        "heading": heading,
        "motto": motto,
        "committee": committee,
        "head": next((m for m in committee if m.role == "head"), None),
        "members": [m for m in committee if m.role != "head"],
        "levels": session.levels(),
        "banded": result.banded,
        **extra,
    }


def minutes_pdf(
    result: SessionResult,
    *,
    ballot_set_sha256: str = "",
    audit_head: AuditHead | None = None,
    certifier: str = "",
    draft: bool = False,
    language: str = "vi",
) -> bytes:
    """Biên bản kiểm phiếu, in the order and layout domain.md gives ("Results and minutes").

    A `draft` (before certification) carries "DỰ THẢO" on every page and prints neither the
    fingerprint of the ballot set, not frozen yet, nor the audit chain's head. `audit_head`: the
    chain as it stands at certification; `certifier`: who certified (`certifier_name`).
    """
    with translation.override(language):  # the words worked out beforehand, in its language
        context = _document_context(
            result,
            **minutes_context(result),
            draft=draft,
            ballot_set_sha256="" if draft else ballot_set_sha256,
            audit_head=None if draft else audit_head,
            certifier=certifier,
        )
        document, table = minutes_layout(context)
    return document.write_pdf(finisher=table.finisher(document))


def minutes_layout(context: dict[str, Any]) -> tuple[Document, minutes_table.TablePlan]:
    """The minutes laid out by WeasyPrint, the table's rows planned and left empty: they are
    drawn after layout (results/minutes_table.py, issue 15). In the active language."""
    table = minutes_table.plan(context["rows"], context["levels"])
    context.update(
        table_rows=table.template_rows,
        drawn_heights=table.heights,
        ends_drawn=table.ends_drawn,
        head_drawn=table.head.key if table.head else "",
        column_range=range(context["columns"]),
    )
    html = render_to_string("pdf/minutes.html", context)
    return HTML(string=html, base_url=settings.PDF_BASE_URL).render(), table


def certified_audit_head(certification: Certification) -> AuditHead | None:
    """The audit chain's head printed in a certification's minutes, from its audit event."""
    detail = (
        AuditEvent.objects.filter(session_id=certification.session_id, action="results_certified")
        .values_list("detail", flat=True)
        .first()
    )
    if not detail or "audit_head" not in detail:
        return None  # certified before the head was printed
    return AuditHead(count=detail["audit_events"], hash=detail["audit_head"])


def announcement_pdf(result: SessionResult, *, language: str = "vi") -> bytes:
    """The announcement read out at the conference or sitting (results/after_count.py): per
    person issued, collected, valid, invalid and each level with its %; facts of the bands only.
    Frozen at certification."""
    with translation.override(language):
        return paper_pdf(announcement_paper(result), result.session)
