"""The consolidated report as XLSX and as PDF, from the certified figures (campaigns/report.py).

The XLSX goes through results/spreadsheets.py like every export: texts as strings (a formula-like
name is never a formula), counts as numbers, percentages as numbers with a percent format.

The PDF is a `Paper` (results/paper_parts.py) laid out by the documents' own templates
(templates/pdf/paper.html): A4 landscape for the wide table (NĐ 30/2020/NĐ-CP, Phụ lục I allows
it), the bundled font, the heading in two columns by the launching body's kind
(`Organization.heading()`, `document_name_lines()`), the date line of NĐ 30 (sessions/dates.py
through results.after_count.date_words). Its words: "BÁO CÁO", "Kết quả lấy phiếu tín nhiệm"
(domain.md, "Documents after the count": *Báo cáo kết quả lấy phiếu tín nhiệm*), the legal basis
in full (`rules.citation`), and each band's own fact and consequence (sessions/regimes.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from results.after_count import date_words
from results.documents import figure_cells
from results.paper_parts import Column, Head, Paper, Para, Table, pct
from results.spreadsheets import xlsx_book
from sessions.models import Organization
from sessions.regimes import band_name, rules_for

from .report import Report, ReportLine

BLANK = "…"
LONG_BLANK = "…………"


def _level_labels(report: Report) -> list[str]:
    return [str(label) for _value, label in report.levels]


def lines_sheet(report: Report) -> tuple[list[str], list[list[Any]]]:
    """Every official rated: body, STT, name, position, each level's count and %, invalid,
    band, denominator."""
    header = [_("Body"), _("No."), _("Full name"), _("Position(s)")]
    for label in [*_level_labels(report), _("Invalid lines")]:
        header += [
            _("%(label)s (votes)") % {"label": label},
            _("%(label)s (%%)") % {"label": label},
        ]
    header += [_("Band"), _("Denominator")]
    rows = []
    for item in report.lines:
        line = item.line
        row: list[Any] = [
            item.organization.name,
            line.number,
            line.candidate.official.full_name,
            line.candidate.position,
        ]
        rows.append(row + figure_cells(line, item.denominator))
    return header, rows


def _follow_up_text(item: ReportLine) -> tuple[str, str]:
    band = item.line.band
    return (str(band.fact), str(band.consequence or "")) if band else ("", "")


def report_xlsx(report: Report) -> bytes:
    header, rows = lines_sheet(report)
    summary = [[str(count.name), count.count] for count in report.band_counts]
    follow_up = [
        [
            item.organization.name,
            item.line.candidate.official.full_name,
            item.line.candidate.position,
            str(band_name(item.band_code)),
            *_follow_up_text(item),
        ]
        for item in report.follow_up
    ]
    missing = [[row.organization.name, str(row.progress.label)] for row in report.missing]
    missing += [
        [row.organization.name, _("Certified record failed its check")] for row in report.altered
    ]
    missing += [
        [row.organization.name, _("Certified under another year or legal basis")]
        for row in report.mismatched
    ]
    return xlsx_book(
        [
            (_("Results"), header, rows),
            (_("By band"), [_("Band"), _("People")], summary),
            (
                _("Follow-up"),
                [
                    _("Body"),
                    _("Full name"),
                    _("Position(s)"),
                    _("Band"),
                    _("Fact"),
                    _("What follows"),
                ],
                follow_up,
            ),
            (_("Bodies missing"), [_("Body"), _("Progress")], missing),
        ]
    )


# --- PDF --------------------------------------------------------------------------------------


def _number(organization: Organization) -> str:
    """A blank number for the register, in the form of the session reports (results.after_count
    .report_number): Party "Số …-BC/<abbr.>", State and mass "Số: …/BC-<abbr.>"."""
    abbreviation = organization.abbreviation or BLANK
    if organization.kind == Organization.Kind.PARTY:
        return f"Số {BLANK}-BC/{abbreviation}"
    return f"Số: {BLANK}/BC-{abbreviation}"


def _head(organization: Organization) -> Head:
    heading, motto = organization.heading()
    return Head(
        org_lines=organization.document_name_lines(),
        bold_all=organization.kind == Organization.Kind.STATE,
        star=organization.kind == Organization.Kind.PARTY,
        heading=heading,
        motto=motto,
        number=_number(organization),
        date_line=date_words(timezone.localdate(), organization.locality),
    )


def _body_name(organization: Organization) -> str:
    lines = organization.document_name_lines()
    return " ".join(lines) if organization.kind == Organization.Kind.STATE else lines[-1]


def _figures_table(report: Report) -> Table:
    unit = _("ballots (%%)").replace("%%", "%")
    columns = [
        Column(_("No."), width=10),
        Column(_("Full name"), width=38, numeric=False),
        Column(_("Position(s)"), width=0, numeric=False),
        Column(_("Body"), width=40, numeric=False),
        *[Column(label, unit, 24) for label in _level_labels(report)],
        # Like the session's own report (results/after_count.py) and the page and XLSX: each row
        # adds up to the ballots collected (domain.md, "invalid (không hợp lệ)").
        Column(_("Invalid lines"), unit, 24),
        Column(_("Band"), width=34, numeric=False),
    ]
    rows = []
    for number, item in enumerate(report.lines, start=1):
        line = item.line
        rows.append(
            [
                (str(number),),
                (line.candidate.official.full_name,),
                (line.candidate.position,),
                (item.organization.name,),
                *[(str(lr.count), pct(lr.percent)) for lr in line.levels],
                (str(line.invalid), pct(line.invalid_percent)),
                (str(band_name(line.band_code)) if line.band else "",),
            ]
        )
    return Table(columns, rows)


def _title_line(title: str, year: int) -> str:
    return title if str(year) in title else f"{title} ({year})"


def report_paper(report: Report) -> Paper:
    campaign = report.campaign
    organization = campaign.organization
    rules = rules_for(campaign.regime, campaign.procedure)
    if rules.vote_of_confidence:
        subtitle = _("Results of the vote of confidence")
    else:
        subtitle = _("Results of the confidence rating")
    paper = Paper(
        kind="campaign",
        head=_head(organization),
        title=_("REPORT"),
        subtitle=subtitle,
        recipients=[_("- Filed: …")],
        signer=[_("ON BEHALF OF %(body)s") % {"body": _body_name(organization)}, LONG_BLANK],
        landscape=True,
    )
    taking_part = len(report.certified) + len(report.missing) + len(report.altered)
    taking_part += len(report.mismatched)
    blocks: list[Para | Table] = [
        Para(_title_line(campaign.title, campaign.year), bold=True, center=True),
        Para(f"{rules.citation}.", lead=_("Legal basis:")),
        Para(
            _("%(all)s bodies take part; %(certified)s have certified their results.")
            % {"all": taking_part, "certified": len(report.certified)},
            lead=_("Bodies:"),
        ),
        Para("", lead=_("Results:")),
        _figures_table(report),
        Para("", lead=_("By band:")),
        Table(
            [Column(_("Band"), width=0, numeric=False), Column(_("People"), width=30)],
            [[(str(count.name),), (str(count.count),)] for count in report.band_counts],
        ),
        Para("", lead=_("Conclusions:")),
    ]
    follow_up = report.follow_up
    for item in follow_up:
        fact, consequence = _follow_up_text(item)
        who = f"{item.line.candidate.official.full_name} ({item.line.candidate.position})"
        text = f"– {who}, {item.organization.name}: {fact}."
        blocks.append(Para(f"{text} {consequence}".strip()))
    if not follow_up:
        if rules.vote_of_confidence:
            blocks.append(Para(_("Nobody received more than half no-confidence votes.")))
        else:
            blocks.append(Para(_("Nobody received more than half low-confidence votes.")))
    not_in = [(row.organization.name, str(row.progress.label)) for row in report.missing]
    not_in += [
        (row.organization.name, _("Certified record failed its check")) for row in report.altered
    ]
    not_in += [
        (row.organization.name, _("Certified under another year or legal basis"))
        for row in report.mismatched
    ]
    if not_in:
        blocks.append(Para("", lead=_("Bodies without certified results:")))
        blocks += [Para(f"– {name}: {state}.") for name, state in not_in]
    paper.blocks = blocks
    return paper


def report_pdf(report: Report) -> bytes:
    paper = report_paper(report)
    html = render_to_string(
        "campaigns/report_pdf.html", {"paper": paper, "session": report.campaign}
    )
    return HTML(string=html, base_url=settings.PDF_BASE_URL).write_pdf()
