"""Accounts and their roles, changed by an organization administrator; each change recorded.

Every service checks the actor's reach itself (people.access), under the same rules as the
pages, so a forged form cannot grant a role above the actor's own reach. Each is one
transaction with its AccountEvent; the refusals are coded (`refuse`).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.translation import gettext_noop

from sessions.models import Membership, Organization
from sessions.services import refuse

from ..access import account_within_reach, administered_ids
from ..models import Account, AccountEvent

Role = Membership.Role
Action = AccountEvent.Action

MSG_BODY_OUT_OF_REACH = gettext_noop("You do not administer %(body)s.")
MSG_ACCOUNT_OUT_OF_REACH = gettext_noop(
    "%(name)s also holds roles at bodies you do not administer: only their administrator (or "
    "support staff) can change this account."
)
MSG_USERNAME_TAKEN = gettext_noop("The username %(username)s is already taken.")
MSG_ROLE_HELD = gettext_noop("%(name)s already holds this role at %(body)s.")
MSG_LAST_ADMINISTRATOR = gettext_noop(
    "%(name)s is the last administrator of %(body)s: make someone else its administrator first."
)
MSG_NOT_YOURSELF = gettext_noop("You cannot deactivate your own account.")
MSG_NAME_EMPTY = gettext_noop("Enter the full name.")

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """A random password of 14 unambiguous characters (over 80 bits), shown once."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(14))


def _record(
    *,
    actor: AbstractBaseUser,
    account: AbstractBaseUser,
    action: str,
    organization: Organization | None = None,
    **detail: Any,
) -> AccountEvent:
    return AccountEvent.objects.create(
        actor=actor, account=account, organization=organization, action=action, detail=detail
    )


def _check_body(actor: AbstractBaseUser, organization: Organization) -> None:
    ids = administered_ids(actor)
    if ids is not None and organization.pk not in ids:
        raise refuse(MSG_BODY_OUT_OF_REACH, "out_of_reach", body=organization.name)


def _check_account(actor: AbstractBaseUser, account: AbstractUser) -> None:
    if not account_within_reach(actor, account):
        raise refuse(MSG_ACCOUNT_OUT_OF_REACH, "out_of_reach", name=_name(account))


def _name(account: AbstractUser) -> str:
    return account.first_name or account.get_username()


def _lock(account: AbstractUser) -> AbstractUser:
    return get_user_model().objects.select_for_update().get(pk=account.pk)


def _check_not_last_administrator(account: AbstractUser, organizations: list[int]) -> None:
    """Refuse when the account is the only active administrator left who reaches one of these
    bodies: an administrator of a body above still administers it, so a body administered from
    above may lose its own last administrator."""
    for org_id in organizations:
        body = Organization.objects.get(pk=org_id)
        # Lock the administrator rows: two withdrawals at once cannot both pass.
        admins = set(
            Membership.objects.select_for_update()
            .filter(
                organization_id__in=[org_id, *body.ancestor_ids()],
                role=Role.ADMIN,
                user__is_active=True,
            )
            .values_list("user_id", flat=True)
        )
        if admins == {account.pk}:
            raise refuse(MSG_LAST_ADMINISTRATOR, "last_admin", name=_name(account), body=body.name)


@transaction.atomic(durable=True)
def account_create(
    *,
    actor: AbstractBaseUser,
    username: str,
    full_name: str,
    organization: Organization,
    role: str,
) -> tuple[AbstractUser, str]:
    """Create an account with a first role at a body the actor administers; return it and its
    temporary password (shown once, never stored in clear)."""
    _check_body(actor, organization)
    user_model = get_user_model()
    username = username.strip()
    full_name = " ".join(full_name.split())
    if not full_name:
        raise refuse(MSG_NAME_EMPTY, "required")
    if user_model.objects.filter(username__iexact=username).exists():
        raise refuse(MSG_USERNAME_TAKEN, "username_taken", username=username)
    password = temporary_password()
    user = user_model(username=username, first_name=full_name, last_name="")
    user.set_password(password)
    user.full_clean()
    user.save()
    Account.objects.create(user=user, organization=organization, must_change_password=True)
    Membership.objects.create(user=user, organization=organization, role=role)
    _record(
        actor=actor,
        account=user,
        organization=organization,
        action=Action.CREATED,
        username=username,
        full_name=full_name,
        role=role,
    )
    return user, password


@transaction.atomic(durable=True)
def account_rename(*, actor: AbstractBaseUser, account: AbstractUser, full_name: str) -> None:
    """Change the full name an account is shown with (Vietnamese order, one field)."""
    _check_account(actor, account)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise refuse(MSG_NAME_EMPTY, "required")
    locked = _lock(account)
    before = locked.first_name
    locked.first_name, locked.last_name = full_name, ""
    locked.save(update_fields=["first_name", "last_name"])
    _record(actor=actor, account=locked, action=Action.RENAMED, before=before, after=full_name)


@transaction.atomic(durable=True)
def role_grant(
    *, actor: AbstractBaseUser, account: AbstractUser, organization: Organization, role: str
) -> Membership:
    """Give an account a role at a body the actor administers."""
    _check_body(actor, organization)
    if account.is_superuser and administered_ids(actor) is not None:
        raise refuse(MSG_ACCOUNT_OUT_OF_REACH, "out_of_reach", name=_name(account))
    _lock(account)
    if Membership.objects.filter(user=account, organization=organization, role=role).exists():
        raise refuse(MSG_ROLE_HELD, "role_held", name=_name(account), body=organization.name)
    membership = Membership(user=account, organization=organization, role=role)
    membership.full_clean()
    membership.save()
    _record(
        actor=actor,
        account=account,
        organization=organization,
        action=Action.ROLE_GRANTED,
        role=role,
    )
    return membership


@transaction.atomic(durable=True)
def role_withdraw(*, actor: AbstractBaseUser, membership: Membership) -> None:
    """Take a role away at a body the actor administers; a body keeps its last administrator."""
    organization = Organization.objects.get(pk=membership.organization_id)
    _check_body(actor, organization)
    account = _lock(membership.user)
    if membership.role == Role.ADMIN:
        _check_not_last_administrator(account, [organization.pk])
    deleted, _rows = Membership.objects.filter(pk=membership.pk).delete()
    if deleted:
        _record(
            actor=actor,
            account=account,
            organization=organization,
            action=Action.ROLE_WITHDRAWN,
            role=membership.role,
        )


@transaction.atomic(durable=True)
def password_reset(*, actor: AbstractBaseUser, account: AbstractUser) -> str:
    """Give the account a new temporary password (returned, shown once; signs it out)."""
    _check_account(actor, account)
    locked = _lock(account)
    password = temporary_password()
    locked.set_password(password)
    locked.save(update_fields=["password"])
    # An account made in the Django admin has no Account row yet: it gets one at its first role's
    # body, or none if it has no role (then it reaches no page that needs the change).
    membership = Membership.objects.filter(user=locked).order_by("pk").first()
    if membership is not None:
        Account.objects.update_or_create(
            user=locked,
            defaults={"must_change_password": True},
            create_defaults={
                "organization_id": membership.organization_id,
                "must_change_password": True,
            },
        )
    else:
        Account.objects.filter(user=locked).update(must_change_password=True)
    _record(actor=actor, account=locked, action=Action.PASSWORD_RESET)
    return password


def password_changed_by_owner(user: AbstractBaseUser) -> None:
    """The user chose their own password: the temporary one's obligation ends."""
    Account.objects.filter(user_id=user.pk, must_change_password=True).update(
        must_change_password=False
    )


@transaction.atomic(durable=True)
def account_set_active(*, actor: AbstractBaseUser, account: AbstractUser, active: bool) -> None:
    """Deactivate an account (it can no longer sign in; its records stay), or reactivate it.
    Nobody deactivates themselves, nor the last administrator of a body."""
    _check_account(actor, account)
    if not active and account.pk == actor.pk:
        raise refuse(MSG_NOT_YOURSELF, "yourself")
    locked = _lock(account)
    if locked.is_active == active:
        return
    if not active:
        held = Membership.objects.filter(user=locked, role=Role.ADMIN)
        _check_not_last_administrator(locked, list(held.values_list("organization_id", flat=True)))
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    _record(
        actor=actor, account=locked, action=Action.REACTIVATED if active else Action.DEACTIVATED
    )
