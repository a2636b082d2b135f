"""Bodies: the administrator's tree, one body with its roles, a new body below, a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sessions.models import RegistryEvent

from .. import selectors, services
from ..access import (
    administered_organizations,
    get_administered_organization,
    keeps_a_registry,
)
from ..forms import BodyForm, RoleGrantForm
from .common import require_administrator


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The administrator's bodies as a tree; a secretariat goes straight to its officials."""
    if not administered_organizations(request.user).exists() and keeps_a_registry(request.user):
        return redirect("people:officials")
    require_administrator(request)
    tree = selectors.body_tree(administered_organizations(request.user))
    return render(request, "people/home.html", {"tree": tree})


@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_administered_organization(request.user, pk)
    context = {
        "body": body,
        "children": body.children.order_by("name"),
        "memberships": selectors.body_memberships(body),
        "events": selectors.body_changes(
            RegistryEvent.objects.filter(
                subject=RegistryEvent.Subject.ORGANIZATION, object_id=body.pk
            ).select_related("actor")[:20]
        ),
        "grant_form": RoleGrantForm(
            organizations=administered_organizations(request.user), initial={"organization": body}
        ),
    }
    return render(request, "people/body_detail.html", context)


@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new body directly below this one."""
    parent = get_administered_organization(request.user, pk)
    form = BodyForm(request.POST or None, submit_label=_("Create the body"))
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s created.") % {"name": body.name})
            return redirect("people:body", pk=body.pk)
    return render(request, "people/body_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_administered_organization(request.user, pk)
    form = BodyForm(request.POST or None, instance=body, submit_label=_("Save"))
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(
                actor=request.user,
                body=get_administered_organization(request.user, pk),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:body", pk=pk)
    body = get_administered_organization(request.user, pk)  # the form changed its instance
    return render(request, "people/body_form.html", {"form": form, "body": body})
