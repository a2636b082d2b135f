"""What the documents that follow the count say: one `Paper` per document, for the PDF
(templates/pdf/) and the .docx (results/docx_documents.py) alike, so both carry the same words.

domain.md, "Documents after the count":
- the announcement at the conference or sitting (*thông báo kết quả*): per person, ballots
  issued, collected, valid and invalid, each level with its percentage; facts of the bands only
  (it is read out at the conference);
- `qd96`: the report to the authority managing the officials (*báo cáo kết quả lấy phiếu tín
  nhiệm*): "Kính gửi", the figures per person, the band and its consequence, "Nơi nhận";
- `nq96`: the draft resolution confirming the result (*nghị quyết xác nhận kết quả lấy phiếu tín
  nhiệm*) in resolution layout: "Căn cứ …", "QUYẾT NGHỊ:", articles, signature of the chair,
  marked "DỰ THẢO" until the sitting adopts it.
Consequences are the bands' own sourced texts (`.consequence`, sessions/regimes.py); nothing here
adds legal wording of its own. Which document a regime has: `session.rules.reports_to_authority`
and `session.rules.confirmed_by_resolution`.

Each person's row adds up: valid for the person = the sum of the levels; invalid = collected −
valid (blank or spoiled lines and whole-invalid ballots), so valid + invalid = collected.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from sessions.dates import document_day, document_month
from sessions.models import Organization, VotingSession

from .models import ResultDocuments
from .paper_parts import Column, Head, Paper, Para, Table, pct
from .tally import CandidateResult, SessionResult, percent

BLANK = "…"  # a blank the register or the signer fills in (domain.md: "Số: …/BB-BKP")
LONG_BLANK = "…………"


# --- Pieces shared by the documents -----------------------------------------------------------


def date_words(date: datetime.date, place: str = "") -> str:
    """The NĐ 30 date line in the interface language (sessions.dates pads day and month)."""
    words = _("day %(d)s month %(m)s year %(y)s") % {
        "d": document_day(date),
        "m": document_month(date),
        "y": date.year,
    }
    return f"{place}, {words}" if place else words


def _head(
    session: VotingSession, *, number: str, date: datetime.date, bold_all: bool = False
) -> Head:
    organization = session.organization
    heading, motto = organization.heading()
    return Head(
        org_lines=organization.document_name_lines(),
        # A State body's whole name is the issuer (a People's Council prints it all bold); a
        # Party body or a mass organization prints the body above it first, not bold.
        bold_all=bold_all or organization.kind == Organization.Kind.STATE,
        star=organization.kind == Organization.Kind.PARTY,
        heading=heading,
        motto=motto,
        number=number,
        date_line=date_words(date, organization.locality),
    )


def _subject(session: VotingSession, *, confirm: bool = False) -> str:
    """'Kết quả lấy phiếu tín nhiệm đối với <subject>' (or bỏ phiếu; 'Xác nhận kết quả …').

    The subject is its own field; never the session title pasted in (issue 12, item 6).
    """
    subject = session.subject.strip()
    vote = session.rules.vote_of_confidence
    if confirm:
        if subject:
            if vote:
                text = _("Confirming the results of the vote of confidence on %(subject)s")
            else:
                text = _("Confirming the results of the confidence rating of %(subject)s")
            return text % {"subject": subject}
        if vote:
            return _("Confirming the results of the vote of confidence")
        return _("Confirming the results of the confidence rating")
    if subject:
        if vote:
            text = _("Results of the vote of confidence on %(subject)s")
        else:
            text = _("Results of the confidence rating of %(subject)s")
        return text % {"subject": subject}
    if vote:
        return _("Results of the vote of confidence")
    return _("Results of the confidence rating")


def valid_for(line: CandidateResult) -> int:
    """A person's valid lines: the sum of the levels."""
    return sum(lr.count for lr in line.levels)


def invalid_for(result: SessionResult, line: CandidateResult) -> int:
    """A person's invalid: collected − valid (spoiled or blank lines and whole-invalid ballots)."""
    return result.collected - valid_for(line)


def _level_columns(session: VotingSession, width: float) -> list[Column]:
    unit = _("ballots (%%)").replace("%%", "%")
    return [Column(str(label), unit, width) for _value, label in session.levels()]


def _person_cells(line: CandidateResult) -> list[tuple[str, ...]]:
    return [
        (str(line.number),),
        (line.candidate.official.full_name,),
        (line.candidate.position,),
    ]


def _person_columns(name: float, position: float) -> list[Column]:
    return [
        Column(_("No."), width=10),
        Column(_("Full name"), width=name, numeric=False),
        Column(_("Position(s)"), width=position, numeric=False),
    ]


def figures_table(result: SessionResult) -> Table:
    """The report's and the resolution's table: each level with its %, then the invalid."""
    columns = [
        *_person_columns(36, 44),
        *_level_columns(result.session, 0),
        Column(_("Invalid lines"), _("ballots (%%)").replace("%%", "%"), 0),
    ]
    rows = []
    for line in result.candidates:
        invalid = invalid_for(result, line)
        rows.append(
            [
                *_person_cells(line),
                *[(str(lr.count), pct(lr.percent)) for lr in line.levels],
                (str(invalid), pct(percent(invalid, result.denominator))),
            ]
        )
    return Table(columns, rows)


def announcement_table(result: SessionResult) -> Table:
    """Per person: issued (when known), collected, valid, invalid, then each level with its %.

    Landscape (NĐ 30 allows a wide table on landscape pages) with one line per person, so 25
    people fit on two pages: each level as "25 (53,19%)".
    """
    known = result.issued is not None
    columns = _person_columns(44, 0)  # the position takes what is left
    if known:
        columns.append(Column(_("Issued ballots"), width=12))
    columns += [
        Column(_("Collected ballots"), width=12),
        Column(_("Valid lines"), width=12),
        Column(_("Invalid lines"), width=12),
        # No unit line: each cell says "25 (53,19%)".
        *[Column(str(label), width=21) for _value, label in result.session.levels()],
    ]
    rows = []
    for line in result.candidates:
        figures = [(str(result.issued),)] if known else []
        figures += [
            (str(result.collected),),
            (str(valid_for(line)),),
            (str(invalid_for(result, line)),),
        ]
        levels = [(f"{lr.count} ({pct(lr.percent)})",) for lr in line.levels]
        rows.append([*_person_cells(line), *figures, *levels])
    return Table(columns, rows)


def _ballots_line(result: SessionResult) -> Para:
    if result.issued is not None:
        figures = _("issued %(i)s, collected %(c)s, valid %(v)s, invalid %(n)s.") % {
            "i": result.issued,
            "c": result.collected,
            "v": result.valid,
            "n": result.whole_invalid,
        }
    else:
        figures = _("collected %(c)s, valid %(v)s, invalid %(n)s.") % {
            "c": result.collected,
            "v": result.valid,
            "n": result.whole_invalid,
        }
    if result.session.rules.over_summoned:
        basis = _("Percentages are over all %(n)s members.")
    else:
        basis = _("Percentages are over the %(n)s ballots collected.")
    return Para(f"{figures} {basis % {'n': result.denominator}}", lead=_("Ballots:"))


def _nobody(session: VotingSession) -> Para:
    if session.rules.vote_of_confidence:
        return Para(_("Nobody received more than half no-confidence votes."))
    return Para(_("Nobody received more than half low-confidence votes."))


def _who(line: CandidateResult) -> str:
    return f"{line.candidate.official.full_name} ({line.candidate.position})"


def _band_paragraphs(result: SessionResult, *, consequences: bool) -> list[Para]:
    """For each person in a band: the band as a fact; with its consequence where asked."""
    paragraphs = []
    for line in result.banded:
        text = f"– {_who(line)} {line.band.fact}."
        if consequences and line.band.consequence:
            text += f" {line.band.consequence}"
        paragraphs.append(Para(text))
    return paragraphs


def _body(organization: Organization) -> str:
    """The issuing body's own name: a State body's whole name; else its last line (the line
    above it names the body it belongs to)."""
    lines = organization.document_name_lines()
    return " ".join(lines) if organization.kind == Organization.Kind.STATE else lines[-1]


def _signature_of_the_body(session: VotingSession) -> list[str]:
    # "TM. <the body>": domain.md gives no title for the report's signer, so a line to fill in.
    body = _body(session.organization)
    return [_("ON BEHALF OF %(body)s") % {"body": body}, LONG_BLANK]


def _recipients(lines: list[str]) -> list[str]:
    # NĐ 30/2020/NĐ-CP, Phụ lục I: "Nơi nhận:" then "- <recipient>;" lines and "- Lưu: …".
    return [f"- {line.lstrip('-– ').rstrip(';.')};" for line in lines] + [_("- Filed: …")]


def documents_of(session: VotingSession) -> ResultDocuments:
    """The session's typed details (unsaved and empty when nothing was typed yet)."""
    found = ResultDocuments.objects.filter(session=session).first()
    return found or ResultDocuments(session=session)


# --- The three documents ----------------------------------------------------------------------


def announcement_paper(result: SessionResult) -> Paper:
    session = result.session
    committee = session.committee.filter(role="head").values_list("full_name", flat=True)
    paper = Paper(
        kind="announcement",
        head=_head(session, number="", date=session.date),
        title=_("ANNOUNCEMENT OF RESULTS"),
        subtitle=_subject(session),
        signer=[_("ON BEHALF OF THE COUNTING COMMITTEE"), _("HEAD")],
        signer_name=next(iter(committee), ""),
        landscape=True,
    )
    paper.blocks = [_ballots_line(result), announcement_table(result)]
    paper.blocks += _band_paragraphs(result, consequences=False) or [_nobody(session)]
    return paper


def report_number(session: VotingSession, number: str) -> str:
    """Party: "Số 12-BC/HCCB"; State and mass organizations: "Số: 12/BC-HCCB" (blanks: "…")."""
    abbreviation = session.organization.abbreviation or BLANK
    if session.organization.kind == Organization.Kind.PARTY:
        return f"Số {number or BLANK}-BC/{abbreviation}"
    return f"Số: {number or BLANK}/BC-{abbreviation}"


def report_paper(result: SessionResult, details: ResultDocuments) -> Paper:
    session = result.session
    paper = Paper(
        kind="report",
        head=_head(
            session,
            number=report_number(session, details.report_number),
            date=details.report_date or session.date,
        ),
        title=_("REPORT"),
        subtitle=_subject(session),
        recipients=_recipients(details.recipient_lines),
        signer=_signature_of_the_body(session),
    )
    blocks: list[Para | Table] = [
        Para(details.addressee or LONG_BLANK * 3, lead=_("To:"), center=True),
        Para(f"{session.rules.citation}.", lead=_("Legal basis:")),
    ]
    if session.place.strip(" —-"):
        if session.start_time:
            where = _("At %(h)s:%(m)s on %(d)s, at %(place)s:") % {
                "h": session.start_time.strftime("%H"),
                "m": session.start_time.strftime("%M"),
                "d": session.date.strftime("%d/%m/%Y"),
                "place": session.place,
            }
        else:
            where = _("On %(d)s, at %(place)s:") % {
                "d": session.date.strftime("%d/%m/%Y"),
                "place": session.place,
            }
        blocks.append(Para(f"{where} {session.title}."))
    if result.present is not None and result.summoned:
        attendance = _("summoned %(s)s, present %(p)s, absent %(a)s.") % {
            "s": result.summoned,
            "p": result.present,
            "a": result.absent,
        }
        blocks.append(Para(attendance, lead=_("Attendance:")))
    blocks += [_ballots_line(result), Para("", lead=_("Results:")), figures_table(result)]
    blocks.append(Para("", lead=_("Conclusions:")))
    blocks += _band_paragraphs(result, consequences=True) or [_nobody(session)]
    paper.blocks = blocks
    return paper


def resolution_number(session: VotingSession, details: ResultDocuments) -> str:
    """As adopted ("Số: 15/NQ-HĐND"), or a blank for the draft ("Số: …/NQ-HĐND")."""
    if details.adopted:
        return f"Số: {details.resolution_number}"
    return f"Số: {BLANK}/NQ-{session.organization.abbreviation or 'HĐND'}"


def resolution_paper(result: SessionResult, details: ResultDocuments) -> Paper:
    session = result.session
    lines = session.organization.document_name_lines()
    paper = Paper(
        kind="resolution",
        head=_head(
            session,
            number=resolution_number(session, details),
            date=details.resolution_date or session.date,
            bold_all=True,
        ),
        title=_("RESOLUTION"),
        subtitle=_subject(session, confirm=True),
        recipients=_recipients(details.recipient_lines) if details.recipient_lines else None,
        # domain.md: "signature of the chair" of the People's Council (or National Assembly).
        signer=[_("ON BEHALF OF %(body)s") % {"body": lines[0]}, _("CHAIR")],
        draft=not details.adopted,
    )
    # Resolution layout (NĐ 30/2020/NĐ-CP, Phụ lục I): the issuer, its legal bases, "QUYẾT
    # NGHỊ:", the articles. Only the basis domain.md names: NQ 96/2023/QH15 (rules.citation).
    blocks: list[Para | Table] = [
        Para(" ".join(lines), bold=True, center=True),
        Para(_("Pursuant to %(citation)s;") % {"citation": session.rules.citation}, italic=True),
        Para(_("RESOLVES:"), bold=True, center=True),
        Para(f"{_subject(session, confirm=True)}:", lead=_("Article 1.")),
        _ballots_line(result),
        figures_table(result),
    ]
    banded = _band_paragraphs(result, consequences=True)
    if banded:
        blocks.append(Para("", lead=_("Article 2.")))
        blocks += banded
    paper.blocks = blocks
    return paper
