"""Printable voter code slips (PDF). Rendered in memory; the plain codes are never stored."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from sessions.models import VotingSession
from sessions.selectors import ballot_candidates

from . import codes as code_utils


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
    html = render_to_string(
        "pdf/slips.html",
        {"session": session, "slips": slips, "ballot_url": f"{base_url.rstrip('/')}/b/"},
    )
    return HTML(string=html, base_url=settings.PDF_BASE_URL).write_pdf()


def ballot_form_pdf(*, session: VotingSession, copies: int) -> bytes:
    """The paper ballot as in the official forms: heading, title, one row per person."""

    candidates = ballot_candidates(session)
    heading, motto = session.organization.heading()
    html = render_to_string(
        "pdf/ballot_form.html",
        {
            "session": session,
            "candidates": candidates,
            "levels": session.levels(),
            "heading": heading,
            "motto": motto,
            "org_lines": session.organization.document_name_lines(),
            "copies": range(copies),
        },
    )
    return HTML(string=html, base_url=settings.PDF_BASE_URL).write_pdf()
