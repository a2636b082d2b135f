"""Who may manage which body, account and official. Every people view goes through these.

- An organization administrator (Membership.Role.ADMIN) manages its body and every body below
  it (sessions.access, Need.ADMINISTER): the bodies, the accounts with a role there, the roles,
  the officials. A body outside that subtree, and anything of it, is the same 404 as missing.
- An account is *within reach* only when every body it holds a role at, and the body it was
  created at, lie in the administrator's subtree: its name, password and activity change only
  then; one with a role elsewhere is only seen, and its roles here granted or withdrawn.
- The secretariat of a body keeps its officials (the registry), nothing else here.
- Superusers (support staff) reach everything; no administrator reaches a superuser.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Q, QuerySet
from django.http import Http404

from sessions.access import AnyUser, Need, organization_ids_for
from sessions.models import Membership, Official, Organization

Role = Membership.Role


def administered_ids(user: AnyUser) -> set[int] | None:
    """Bodies the user administers (None: all of them, support staff)."""
    return organization_ids_for(user, Need.ADMINISTER)


def registry_ids(user: AnyUser) -> set[int] | None:
    """Bodies whose officials the user keeps: administered ones and its secretariats'."""
    administered = administered_ids(user)
    if administered is None:
        return None
    return administered | (organization_ids_for(user, Need.PREPARE) or set())


def is_administrator(user: AnyUser) -> bool:
    ids = administered_ids(user)
    return ids is None or bool(ids)


def keeps_a_registry(user: AnyUser) -> bool:
    ids = registry_ids(user)
    return ids is None or bool(ids)


def _within(ids: set[int] | None, qs: QuerySet, field: str = "pk") -> QuerySet:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def administered_organizations(user: AnyUser) -> QuerySet[Organization]:
    return _within(administered_ids(user), Organization.objects.all())


def get_administered_organization(user: AnyUser, pk: int) -> Organization:
    try:
        return administered_organizations(user).get(pk=pk)
    except Organization.DoesNotExist:
        raise Http404 from None


def visible_accounts(user: AnyUser) -> QuerySet[AbstractUser]:
    """Accounts holding a role in, or created at, a body the user administers."""
    users = get_user_model().objects.all()
    ids = administered_ids(user)
    if ids is None:
        return users
    if not ids:
        return users.none()
    return (
        users.filter(is_superuser=False)
        .filter(Q(memberships__organization_id__in=ids) | Q(account__organization_id__in=ids))
        .distinct()
    )


def get_account_for_user(user: AnyUser, pk: int) -> AbstractUser:
    try:
        return visible_accounts(user).get(pk=pk)
    except get_user_model().DoesNotExist:
        raise Http404 from None


def account_within_reach(user: AnyUser, account: AbstractUser) -> bool:
    """Every body the account belongs to lies in the user's subtree (see the module)."""
    ids = administered_ids(user)
    if ids is None:
        return True
    if account.is_superuser or not ids:
        return False
    bodies = set(Membership.objects.filter(user=account).values_list("organization_id", flat=True))
    created_at = getattr(getattr(account, "account", None), "organization_id", None)
    if created_at is not None:
        bodies.add(created_at)
    return bool(bodies) and bodies <= ids


def registry_officials(user: AnyUser) -> QuerySet[Official]:
    return _within(registry_ids(user), Official.objects.all(), "organization_id")


def registry_organizations(user: AnyUser) -> QuerySet[Organization]:
    return _within(registry_ids(user), Organization.objects.all())


def get_official_for_user(user: AnyUser, pk: int) -> Official:
    try:
        return registry_officials(user).select_related("organization").get(pk=pk)
    except Official.DoesNotExist:
        raise Http404 from None
