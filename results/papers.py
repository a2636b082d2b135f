"""The report and the draft resolution as PDF: built from the certified result and the details
the secretariat typed (results/after_count.py), rendered with the same fonts as the minutes.

The announcement is rendered by `documents.announcement_pdf` (frozen at certification); these
two are made on request from the frozen result, since their addressee, recipients, number and
adoption are typed after certification.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from sessions.models import VotingSession

from .after_count import announcement_paper, documents_of, report_paper, resolution_paper
from .models import ResultDocuments
from .paper_parts import Paper
from .tally import SessionResult

TEMPLATES = {
    "announcement": "pdf/announcement.html",
    "report": "pdf/report.html",
    "resolution": "pdf/resolution.html",
}


def paper_pdf(paper: Paper, session: VotingSession) -> bytes:
    """A Paper as PDF. Render inside the language the paper was built in."""
    html = render_to_string(TEMPLATES[paper.kind], {"paper": paper, "session": session})
    return HTML(string=html, base_url=settings.PDF_BASE_URL).write_pdf()


Builder = Callable[[SessionResult, ResultDocuments], Paper]
BUILDERS: dict[str, Builder] = {
    "announcement": lambda result, _details: announcement_paper(result),
    "report": report_paper,
    "resolution": resolution_paper,
}


def build_paper(kind: str, result: SessionResult, *, language: str = "vi") -> Paper:
    """A document of a certified result, with the typed details, in `language`."""
    with translation.override(language):
        return BUILDERS[kind](result, documents_of(result.session))


def document_pdf(kind: str, result: SessionResult, *, language: str = "vi") -> bytes:
    with translation.override(language):
        paper = BUILDERS[kind](result, documents_of(result.session))
        return paper_pdf(paper, result.session)
