"""Results for staff, certification, publication, exports, the public pages and the JSON API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sessions.access import Need, can, get_session_for_user
from sessions.models import Official, VotingSession

from . import documents, selectors, services
from .access import (
    can_certify,
    can_download_ballot_set,
    can_publish,
    get_ballot_set_session_for_user,
    get_published_session,
    get_result_session_for_user,
)
from .follow_up import follow_up_panel, history_rows
from .frozen import result_document, session_minutes, session_result, verified_blob
from .models import Certification

Status = VotingSession.Status


def _certification(session: VotingSession) -> Certification | None:
    return (
        Certification.objects.filter(session=session)
        .defer("minutes_pdf", "announcement_pdf", "ballot_set_csv")
        .first()
    )


@require_GET
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_result_session_for_user(request.user, pk)
    return _results_page(request, session)


def _results_page(request: HttpRequest, session: VotingSession, status: int = 200) -> HttpResponse:
    result = session_result(session)
    sort = request.GET.get("sort", "order")
    sort_key = sort.lstrip("-") if sort.lstrip("-") in selectors.SORTS else "order"
    descending = sort.startswith("-")
    blockers = services.certification_blockers(session, result if session.is_closed else None)
    return render(
        request,
        "results/results.html",
        {
            "session": session,
            "tab": "results",
            "can_prepare": can(request.user, session, Need.PREPARE),
            "editable": False,
            "result": result,
            "lines": selectors.sorted_lines(result, sort_key, descending=descending),
            "sort": sort_key,
            "descending": descending,
            "certification": _certification(session),
            "blockers": blockers,
            "can_certify": can_certify(request.user, session),
            "can_run": can(request.user, session, Need.RUN),
            # An electronic count with more slips issued than people present is explained here
            # (the desk is gone once voting is closed); paper modes on their own pages.
            "explain_here": session.is_closed
            and session.mode == VotingSession.Mode.ELECTRONIC
            and result.issued is not None
            and result.present is not None
            and result.issued > result.present,
            "can_publish": can_publish(request.user, session),
            "can_download_ballot_set": can_download_ballot_set(request.user, session),
            "follow_up": follow_up_panel(session, result),
        },
        status=status,
    )


@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    """Certify: the committee member linked to this account, once every figure is there.

    Refused (nothing changes): 404 to whoever may not count this session, 403 to the committee
    accounts not linked to this session's committee, 409 with the page and its reasons while
    something is missing. A second click after certification just goes back to the page.
    """
    session = get_result_session_for_user(request.user, pk)  # 404 while voting is not over
    if not can(request.user, session, Need.COUNT):
        raise Http404
    if not can_certify(request.user, session):
        messages.error(request, _(services.MSG_NOT_ON_COMMITTEE))
        return _results_page(request, session, status=403)
    try:
        services.result_certify(actor=request.user, session=session)
    except ValidationError as exc:
        session.refresh_from_db()
        if session.is_certified:
            messages.info(request, _("The results were already certified."))
            return redirect("results:page", pk=pk)
        messages.error(request, " ".join(exc.messages))
        return _results_page(request, session, status=409)
    messages.success(request, _("Results certified. The minutes are generated and frozen."))
    return redirect("results:page", pk=pk)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    try:
        if services.result_publish(actor=request.user, session=session):
            messages.success(
                request,
                _("Results published to: %(scope)s.") % {"scope": session.get_scope_display()},
            )
        else:
            messages.info(request, _("The results were already published."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("results:page", pk=pk)


@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    try:
        if services.result_unpublish(actor=request.user, session=session):
            messages.warning(request, _("Results withdrawn from publication."))
        else:
            messages.info(request, _("The results were not published."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("results:page", pk=pk)


def _file(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _frozen(session: VotingSession) -> Certification:
    certification = Certification.objects.filter(session=session).first()
    if certification is None:
        raise Http404
    return certification


@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The certified minutes as signed; before certification, a draft for the committee."""
    session = get_result_session_for_user(request.user, pk)
    found = session_minutes(session, language=request.LANGUAGE_CODE)
    return _file(found.pdf, "application/pdf", found.filename, inline=True)


@require_GET
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_result_session_for_user(request.user, pk)
    certification = _frozen(session)
    return _file(
        verified_blob(certification, "announcement"),
        "application/pdf",
        f"thong-bao-ket-qua-{session.public_id}.pdf",
        inline=True,
    )


@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    session = get_result_session_for_user(request.user, pk)
    result = session_result(session)
    if fmt == "xlsx":
        return _file(
            documents.result_xlsx(result),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"ket-qua-{session.public_id}.xlsx",
        )
    return _file(
        documents.result_csv(result), "text/csv; charset=utf-8", f"ket-qua-{session.public_id}.csv"
    )


@require_GET
def ballot_set(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen anonymized ballot set, for the committee only; its SHA-256 is in the minutes."""
    session = get_ballot_set_session_for_user(request.user, pk)
    certification = _frozen(session)
    return _file(
        verified_blob(certification, "ballot_set"),
        "text/csv; charset=utf-8",
        f"phieu-{session.public_id}.csv",
    )


@require_GET
def official_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One official's results in every session they were rated in (that the user may see)."""
    official = get_object_or_404(Official.objects.select_related("organization"), pk=pk)
    history = selectors.official_history(request.user, official)
    if not history:
        raise Http404  # nothing this user may see: the same as no such official
    rows = history_rows(official.pk, history)
    return render(
        request, "results/official.html", {"official": official, "history": history, "rows": rows}
    )


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """A leader's view of all sessions below: status, and every candidate who fell in a band."""
    return render(request, "results/overview.html", {"rows": selectors.overview(request.user)})


# --- Public -----------------------------------------------------------------------------------


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        VotingSession.objects.filter(status=Status.PUBLISHED, scope=VotingSession.Scope.PUBLIC)
        .select_related("organization", "result_documents")
        .order_by("-date", "-pk")
    )
    return render(request, "results/public_list.html", {"sessions": sessions})


@login_not_required
@require_GET
def public_page(request: HttpRequest, public_id: str) -> HttpResponse:
    session = get_published_session(request.user, public_id)
    if not session.is_published:
        raise Http404
    return render(
        request,
        "results/public_page.html",
        {
            "session": session,
            "result": session_result(session),
            "certification": _certification(session),
        },
    )


@login_not_required
@require_GET
def public_minutes(request: HttpRequest, public_id: str) -> HttpResponse:
    session = get_published_session(request.user, public_id)
    if not session.is_published:
        raise Http404
    certification = _frozen(session)
    return _file(
        verified_blob(certification, "minutes"),
        "application/pdf",
        f"bien-ban-kiem-phieu-{session.public_id}.pdf",
        inline=True,
    )


@login_not_required
@require_GET
def api_results(request: HttpRequest, public_id: str) -> JsonResponse:
    """The results document; same access as the page (published public: anyone)."""
    session = get_published_session(request.user, public_id)
    return JsonResponse(result_document(session), json_dumps_params={"ensure_ascii": False})
