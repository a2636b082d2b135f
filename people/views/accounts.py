"""Accounts: the list, a new one, one account with its roles, and the administrator's acts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.models import Membership

from .. import selectors, services
from ..access import (
    account_within_reach,
    administered_ids,
    administered_organizations,
    get_account_for_user,
    visible_accounts,
)
from ..forms import AccountCreateForm, AccountRenameForm, RoleGrantForm
from ..models import AccountEvent
from .common import errors_text, require_administrator
from .password import keep_for_one_reading


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request)
    accounts = selectors.accounts_with_roles(visible_accounts(request.user))
    return render(request, "people/account_list.html", {"accounts": accounts})


def _password_page(request: HttpRequest, account, password: str, created: bool) -> HttpResponse:
    """After the POST, a GET page that shows the temporary password once (a reload neither
    shows it again nor resets it again)."""
    keep_for_one_reading(request, account, password, created)
    return redirect("people:password_shown", pk=account.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request)
    organizations = administered_organizations(request.user)
    initial = {}
    if request.GET.get("body", "").isdigit():
        initial["organization"] = organizations.filter(pk=int(request.GET["body"])).first()
    form = AccountCreateForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _password_page(request, account, password, created=True)
    return render(request, "people/account_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    ids = administered_ids(request.user)
    rename_form = AccountRenameForm(request.POST or None, initial={"full_name": account.first_name})
    if request.method == "POST" and rename_form.is_valid():
        try:
            services.account_rename(
                actor=request.user, account=account, full_name=rename_form.cleaned_data["full_name"]
            )
        except ValidationError as exc:
            rename_form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:account", pk=pk)
    memberships = Membership.objects.filter(user=account).select_related("organization")
    context = {
        "account": account,
        "within_reach": account_within_reach(request.user, account),
        "memberships": [
            (m, ids is None or m.organization_id in ids)
            for m in memberships.order_by("organization__name", "role")
        ],
        "rename_form": rename_form,
        "grant_form": RoleGrantForm(organizations=administered_organizations(request.user)),
        "events": AccountEvent.objects.filter(account=account).select_related(
            "actor", "organization"
        )[:30],
    }
    return render(request, "people/account_detail.html", context)


@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant the account a role at a body the user administers."""
    account = get_account_for_user(request.user, pk)
    form = RoleGrantForm(request.POST, organizations=administered_organizations(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.role_grant(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("Role granted."))
    return redirect("people:account", pk=account.pk)


@require_POST
def role_withdraw(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    membership = Membership.objects.filter(pk=membership_pk, user=account).first()
    ids = administered_ids(request.user)
    if membership is None or (ids is not None and membership.organization_id not in ids):
        raise Http404
    try:
        services.role_withdraw(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Role withdrawn."))
    return redirect("people:account", pk=pk)


@never_cache
@require_POST
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    try:
        password = services.password_reset(actor=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect("people:account", pk=pk)
    return _password_page(request, account, password, created=False)


@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) an account."""
    account = get_account_for_user(request.user, pk)
    if request.POST.get("active") not in {"0", "1"}:
        return HttpResponseBadRequest(_("Say 1 to reactivate the account or 0 to deactivate it."))
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, account=account, active=active)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(
            request, _("Account reactivated.") if active else _("Account deactivated.")
        )
    return redirect("people:account", pk=pk)
