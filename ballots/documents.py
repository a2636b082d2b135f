"""Printable paper: the voter code slips and the paper ballot form (PDF), rendered in memory.

The plain voter codes are never stored. A ballot form is rendered ONCE with WeasyPrint; its pages
are then repeated with pypdf for every copy, so 1,000 copies cost one layout (issue 15), and each
copy starts on a page of its own with its own page numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from sessions.models import Organization, VotingSession
from sessions.selectors import ballot_candidates

from . import codes as code_utils

# The most copies one download may ask for (the form refuses more; design.md's budget is 1,000).
MAX_COPIES = 1000


@dataclass(frozen=True)
class Slip:
    code: str
    qr: str  # data: URI of an SVG


def ballot_link(base_url: str, code: str) -> str:
    """The QR's target: the code rides in the #fragment, which browsers never send to the server,
    so no access log or proxy ever sees it."""
    return f"{base_url.rstrip('/')}/b/#{code_utils.display(code)}"


def slips_pdf(*, session: VotingSession, codes: list[str], base_url: str) -> bytes:
    slips = [
        Slip(
            code=code_utils.display(code),
            qr=segno.make(ballot_link(base_url, code), error="m").svg_data_uri(scale=4, border=2),
        )
        for code in codes
    ]
    # The address stays on one line: broken after "http://" it reads as two addresses.
    ballot_url = format_html('<span class="url">{}</span>', f"{base_url.rstrip('/')}/b/")
    html = render_to_string(
        "pdf/slips.html", {"session": session, "slips": slips, "ballot_url": ballot_url}
    )
    return HTML(string=html, base_url=settings.PDF_BASE_URL).write_pdf()


def ballot_copy_pdf(*, session: VotingSession) -> bytes:
    """One copy of the paper ballot: heading, seal place, title, one row per person on the ballot.

    Only the people on the ballot are printed (`ballot_candidates`: those excluded from the
    rating, or not concerned by a vote of confidence, are left out). A copy longer than a page
    repeats a short heading and numbers its pages ("Trang 2/3"); that needs the page count, so
    such a copy is laid out a second time with the numbers on.
    """
    organization = session.organization
    heading, motto = organization.heading()
    context = {
        "session": session,
        "candidates": ballot_candidates(session),
        "levels": session.levels(),
        "heading": heading,
        "motto": motto,
        "org_lines": organization.document_name_lines(),
        "party": organization.kind == Organization.Kind.PARTY,
        # domain.md: a People's Council (a State body) prints its whole name bold.
        "all_bold": organization.kind == Organization.Kind.STATE,
        "paged": False,
    }
    document = _render(context)
    if len(document.pages) > 1:
        document = _render({**context, "paged": True})
    return document.write_pdf()


def _render(context: dict):
    html = render_to_string("pdf/ballot_form.html", context)
    return HTML(string=html, base_url=settings.PDF_BASE_URL).render()


def ballot_form_pdf(*, session: VotingSession, copies: int) -> bytes:
    """`copies` copies of the paper ballot, each starting on a new page (1 ≤ copies ≤ MAX)."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be between 1 and {MAX_COPIES}")
    return repeat_pages(ballot_copy_pdf(session=session), copies)


def repeat_pages(pdf: bytes, times: int) -> bytes:
    """The pages of `pdf`, `times` times over, in order; fonts and images are stored once."""
    source = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for _copy in range(times):
        for page in source.pages:
            writer.add_page(page)
    if source.metadata:
        writer.add_metadata({k: v for k, v in source.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
