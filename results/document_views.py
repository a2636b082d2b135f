"""The documents page: every document that follows the count, as PDF and as .docx, and the
small forms for what the secretariat types into them (and, under nq96, the adoption).

Access is the minutes' (results/access.py): whoever may see the results may download them; only
the secretariat of the session's organization may type or record. Before certification the page
and the files are refused with a 409 that says why; another organization's session is the same
404 as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sessions.access import Need, can, get_session_for_user
from sessions.models import VotingSession

from . import after_count_services as services
from . import docx_documents, papers
from .access import get_result_session_for_user
from .after_count import documents_of
from .after_count_forms import AdoptionForm, DocumentDetailsForm
from .frozen import session_result, verified_blob
from .models import Certification

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILENAMES = {
    "announcement": "thong-bao-ket-qua",
    "report": "bao-cao-ket-qua",
    "resolution": "du-thao-nghi-quyet",
}


def kinds_for(session: VotingSession) -> list[str]:
    """The documents this session's legal basis has after the count, in the order used."""
    kinds = ["announcement"]
    if session.rules.reports_to_authority:
        kinds.append("report")
    if session.rules.confirmed_by_resolution:
        kinds.append("resolution")
    return kinds


def _refused(request: HttpRequest, session: VotingSession) -> HttpResponse:
    return render(
        request,
        "results/documents_refused.html",
        {"session": session, "message": _(services.MSG_NOT_CERTIFIED)},
        status=409,
    )


def _page(
    request: HttpRequest,
    session: VotingSession,
    *,
    details_form: Form | None = None,
    adoption_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    documents = documents_of(session)
    can_edit = can(request.user, session, Need.PREPARE)
    report = session.rules.reports_to_authority
    if can_edit and details_form is None:
        details_form = DocumentDetailsForm(
            initial={
                "addressee": documents.addressee,
                "recipients": documents.recipients,
                "report_number": documents.report_number,
                "report_date": documents.report_date,
            },
            report=report,
        )
    if can_edit and adoption_form is None and session.rules.confirmed_by_resolution:
        adoption_form = AdoptionForm(
            initial={"number": documents.resolution_number, "date": documents.resolution_date}
        )
    if details_form is not None:
        details_form.helper.form_action = reverse("results:documents_details", args=[session.pk])
    if adoption_form is not None:
        adoption_form.helper.form_action = reverse("results:resolution_adoption", args=[session.pk])
    return render(
        request,
        "results/documents.html",
        {
            "session": session,
            "tab": "results",
            "kinds": kinds_for(session),
            "documents": documents,
            "can_edit": can_edit,
            "details_form": details_form,
            "adoption_form": adoption_form,
        },
        status=status,
    )


@require_GET
def documents_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_result_session_for_user(request.user, pk)
    if not session.is_certified:
        return _refused(request, session)
    return _page(request, session)


@require_GET
def document_file(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    session = get_result_session_for_user(request.user, pk)
    if kind not in kinds_for(session) or fmt not in {"pdf", "docx"}:
        raise Http404
    if not session.is_certified:
        return _refused(request, session)
    # Documents to sign and file are in Vietnamese, the language of the record, whatever the
    # interface language (an English copy would mix translated headings with Vietnamese names
    # and positions); the pages around them follow the reader's language.
    language = "vi"
    name = f"{FILENAMES[kind]}-{session.public_id}.{fmt}"
    if kind == "announcement" and fmt == "pdf":
        # As frozen at certification, checked against its fingerprint (frozen.verified_blob).
        certification = Certification.objects.filter(session=session).first()
        if certification is None:
            raise Http404
        data = verified_blob(certification, "announcement")
    elif fmt == "pdf":
        data = papers.document_pdf(kind, session_result(session), language=language)
    else:
        paper = papers.build_paper(kind, session_result(session), language=language)
        data = docx_documents.paper_docx(paper)
    response = HttpResponse(bytes(data), content_type=PDF if fmt == "pdf" else DOCX)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _editable(request: HttpRequest, pk: int) -> VotingSession:
    """The secretariat of the session's organization; anyone else: the same 404 as missing."""
    session = get_session_for_user(request.user, pk, need=Need.PREPARE)
    return get_result_session_for_user(request.user, session.pk)


@require_POST
def documents_details(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    if not session.is_certified:
        return _refused(request, session)
    form = DocumentDetailsForm(request.POST, report=session.rules.reports_to_authority)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.result_documents_update(
                actor=request.user,
                session=session,
                addressee=data.get("addressee", ""),
                recipients=data["recipients"],
                report_number=data.get("report_number", ""),
                report_date=data.get("report_date"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("The details of the documents are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("results:documents", pk=pk)
    return _page(request, session, details_form=form, status=400)


@require_POST
def resolution_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    if not session.rules.confirmed_by_resolution:
        raise Http404
    if not session.is_certified:
        return _refused(request, session)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            changed = services.resolution_adoption_record(
                actor=request.user,
                session=session,
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("The adoption of the resolution is recorded."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("results:documents", pk=pk)
    return _page(request, session, adoption_form=form, status=400)
