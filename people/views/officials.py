"""The officials registry: list and search, add, change with posts held, merge, import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..access import (
    get_official_for_user,
    keeps_a_registry,
    registry_officials,
    registry_organizations,
)
from ..forms import MergeForm, OfficialForm, OfficialImportForm, PositionForm
from ..imports import parse_officials_file
from ..models import Position
from .common import errors_text

PAGE_SIZE = 200


def _require_registry(request: HttpRequest) -> None:
    if not keeps_a_registry(request.user):
        raise Http404


@require_http_methods(["GET"])
def official_list(request: HttpRequest) -> HttpResponse:
    """Every official the user keeps, searched with or without diacritics."""
    _require_registry(request)
    query = request.GET.get("q", "").strip()[:100]
    officials = registry_officials(request.user)
    body = request.GET.get("body", "")
    if body.isdigit():
        officials = officials.filter(organization_id=int(body))
    found = selectors.officials_matching(officials, query)
    context = {
        "officials": found[:PAGE_SIZE],
        "count": found.count(),
        "page_size": PAGE_SIZE,
        "query": query,
        "body": int(body) if body.isdigit() else None,
        "bodies": registry_organizations(request.user).order_by("name"),
    }
    return render(request, "people/official_list.html", context)


@require_http_methods(["GET", "POST"])
def official_create(request: HttpRequest) -> HttpResponse:
    _require_registry(request)
    form = OfficialForm(request.POST or None, organizations=registry_organizations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            official = services.official_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": official.full_name})
            return redirect("people:official", pk=official.pk)
    return render(request, "people/official_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An official's details (editable), posts held and lists they were on."""
    official = get_official_for_user(request.user, pk)
    initial = {f: getattr(official, f) for f in ("full_name", "positions", "birth_year")}
    form = OfficialForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_update(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:official", pk=pk)
    context = {
        "official": official,
        "form": form,
        "position_form": PositionForm(),
        "positions": official.held_positions.all(),
        "candidacies": selectors.official_candidacies(official),
        "merge_form": MergeForm(official=official),
        "merges": official.merges.select_related("actor"),
    }
    return render(request, "people/official_detail.html", context)


@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_official_for_user(request.user, pk)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            services.position_add(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("Position added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("people:official", pk=pk)


@require_POST
def position_remove(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    official = get_official_for_user(request.user, pk)
    position = Position.objects.filter(pk=position_pk, official=official).first()
    if position is None:
        raise Http404
    services.position_remove(actor=request.user, position=position)
    messages.success(request, _("Position removed."))
    return redirect("people:official", pk=pk)


@require_POST
def official_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the chosen duplicate into this official (the one kept)."""
    official = get_official_for_user(request.user, pk)
    # Not MergeForm's own choices (this body only): the service refuses a duplicate of another
    # body with its reason; one the user cannot reach is the 404 of a missing one.
    merged_pk = request.POST.get("merged", "")
    if not merged_pk.isdigit():
        messages.error(request, _("Choose the duplicate to merge."))
        return redirect("people:official", pk=pk)
    merged = get_official_for_user(request.user, int(merged_pk))
    try:
        record = services.official_merge(actor=request.user, kept=official, merged=merged)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(
            request,
            _("%(merged)s merged into %(kept)s: %(count)d candidacies moved.")
            % {
                "merged": record.merged["full_name"],
                "kept": official.full_name,
                "count": len(record.candidacies),
            },
        )
    return redirect("people:official", pk=pk)


@require_http_methods(["GET", "POST"])
def officials_import(request: HttpRequest) -> HttpResponse:
    """Check a file and, only when every row is right, add them all at once."""
    _require_registry(request)
    form = OfficialImportForm(
        request.POST or None,
        request.FILES or None,
        organizations=registry_organizations(request.user),
    )
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_officials_file(upload.name, upload.read())
        if result.ok:
            try:
                count = services.officials_import(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    rows=result.rows,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(count)d officials imported.") % {"count": count})
                body = form.cleaned_data["organization"].pk
                return redirect(f"{reverse('people:officials')}?body={body}")
    return render(request, "people/officials_import.html", {"form": form, "result": result})
