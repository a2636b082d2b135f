"""Printable paper: the paper ballot form (PDF), rendered in memory (the code slips: slips.py).

A ballot form is laid out ONCE with WeasyPrint; as the PDF is written, its pages are repeated for
every copy (new page objects over the same content, fonts stored once), so 1,000 copies cost one
layout (issue 15), and each copy starts on a page of its own with its own page numbers.
"""

from __future__ import annotations

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document

from sessions.models import Organization, VotingSession
from sessions.selectors import ballot_candidates

# The most copies one download may ask for (the form refuses more; design.md's budget is 1,000).
MAX_COPIES = 1000
# More people than this seldom fit on one page: such a copy is laid out with its page numbers
# first, so a long copy costs one layout, not two. Only the speed depends on it, never the copy.
LIKELY_ONE_PAGE = 12


def ballot_copy_pdf(*, session: VotingSession) -> bytes:
    """One copy of the paper ballot (`_ballot_copy`)."""
    return _ballot_copy(session).write_pdf()


def _ballot_copy(session: VotingSession) -> Document:
    """One copy of the paper ballot: heading, seal place, title, one row per person on the ballot.

    Only the people on the ballot are printed (`ballot_candidates`: those excluded from the
    rating, or not concerned by a vote of confidence, are left out). A copy longer than a page
    repeats a short heading and numbers its pages ("Trang 2/3"); that needs the page count, so
    when the first layout guessed wrong (`LIKELY_ONE_PAGE`) the copy is laid out again the other
    way. The numbers sit in the top margin: both ways break the pages at the same rows.
    """
    organization = session.organization
    heading, motto = organization.heading()
    candidates = ballot_candidates(session)
    context = {
        "session": session,
        "candidates": candidates,
        "levels": session.levels(),
        "heading": heading,
        "motto": motto,
        "org_lines": organization.document_name_lines(),
        "party": organization.kind == Organization.Kind.PARTY,
        # domain.md: a People's Council (a State body) prints its whole name bold.
        "all_bold": organization.kind == Organization.Kind.STATE,
        "paged": len(candidates) > LIKELY_ONE_PAGE,
    }
    document = _render(context)
    if context["paged"] != (len(document.pages) > 1):
        document = _render({**context, "paged": not context["paged"]})
    return document


def _render(context: dict):
    html = render_to_string("pdf/ballot_form.html", context)
    return HTML(string=html, base_url=settings.PDF_BASE_URL).render()


def ballot_form_pdf(*, session: VotingSession, copies: int) -> bytes:
    """`copies` copies of the paper ballot, each starting on a new page (1 ≤ copies ≤ MAX)."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be between 1 and {MAX_COPIES}")
    return _ballot_copy(session).write_pdf(finisher=lambda _document, pdf: _repeat(pdf, copies))


def _repeat(pdf: pydyf.PDF, times: int) -> None:
    """WeasyPrint's finisher: the pages `times` times over, in order. Each repeat is a new page
    object pointing at the same content stream and resources, so the copies weigh little."""
    kids = pydyf.Array(pdf.pages["Kids"])
    pages = [pdf.objects[int(number)] for number in kids[::3]]
    for _copy in range(times - 1):
        for page in pages:
            repeat = pydyf.Dictionary(dict(page))
            pdf.add_object(repeat)
            kids.extend([repeat.number, 0, "R"])
    pdf.pages["Kids"] = kids
    pdf.pages["Count"] = len(pages) * times
