"""The counting committee (Ban kiểm phiếu): its members, and the accounts they sign in with.

The conference (or sitting) elects the committee on the day, and a paper tally imported after
the fact has none at all, so unlike the other lists the committee stays editable until the
results are certified, not only while the session is a draft. Certification freezes it with
the minutes that name it.

A member may be linked to an account: only a linked member certifies the count
(results.services.result_certify). The account must be an active account holding the
counting-committee role in the session's own organization, never another body's, and one
account sits on one session's committee once (also a database constraint).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_noop

from ..models import CommitteeMember, VotingSession
from ..selectors import committee_accounts, rated_names, same_person
from .common import (
    MSG_DUPLICATE_MEMBER,
    MSG_RATED_ON_COMMITTEE,
    MSG_SECOND_HEAD,
    audit_record,
    lock_session,
    refuse,
)

MSG_COMMITTEE_CERTIFIED = gettext_noop(
    "The results are certified: the counting committee named in the minutes can no longer change."
)
MSG_NOT_A_COMMITTEE_ACCOUNT = gettext_noop(
    "This account does not hold the counting-committee role in this session's organization."
)
MSG_ACCOUNT_OF_ANOTHER_PERSON = gettext_noop(
    "This account is %(account)s's, not %(name)s's: link each member to their own account (the "
    "minutes name the member who certifies)."
)
MSG_ACCOUNT_TAKEN = gettext_noop(
    "This account is already linked to %(name)s on this session's committee."
)


def _lock_committee(session: VotingSession) -> VotingSession:
    """The session locked, if its committee may still change (anything but certified)."""
    locked = lock_session(session)
    if locked.is_certified:
        raise refuse(MSG_COMMITTEE_CERTIFIED, "certified")
    return locked


def _check_member(session: VotingSession, member: CommitteeMember) -> None:
    rated = same_person(member.full_name, rated_names(session))
    if rated is not None:
        raise refuse(MSG_RATED_ON_COMMITTEE, "rated", name=rated)
    others = session.committee.exclude(pk=member.pk)
    if member.role == CommitteeMember.Role.HEAD:
        head = others.filter(role=CommitteeMember.Role.HEAD).first()
        if head is not None:
            raise refuse(MSG_SECOND_HEAD, "second_head", name=head.full_name)
    if same_person(member.full_name, others.values_list("full_name", flat=True)):
        raise refuse(MSG_DUPLICATE_MEMBER, "duplicate", name=member.full_name)
    if member.user_id is not None:
        if not committee_accounts(session).filter(pk=member.user_id).exists():
            raise refuse(MSG_NOT_A_COMMITTEE_ACCOUNT, "not_committee_account")
        # The account's person is the member: an account with a full name recorded must carry
        # this member's name (accounts made in /people/ always have one).
        owner = member.user.get_full_name().strip() if member.user else ""
        if owner and same_person(member.full_name, [owner]) is None:
            raise refuse(
                MSG_ACCOUNT_OF_ANOTHER_PERSON,
                "another_person",
                account=owner,
                name=member.full_name,
            )
        taken = others.filter(user_id=member.user_id).first()
        if taken is not None:
            raise refuse(MSG_ACCOUNT_TAKEN, "account_taken", name=taken.full_name)


def _account(member: CommitteeMember) -> str:
    """How the audit trail names a linked account: its username (empty: none)."""
    return member.user.get_username() if member.user_id else ""


def committee_member_build(
    *,
    session: VotingSession,
    full_name: str,
    unit: str,
    role: str,
    user: AbstractBaseUser | None = None,
) -> CommitteeMember:
    """A member checked against the session's lists (in the caller's transaction), not saved."""
    member = CommitteeMember(
        session=session,
        full_name=" ".join(full_name.split()),
        unit=" ".join(unit.split()),
        role=role,
        user=user,
    )
    member.full_clean(validate_constraints=False)
    _check_member(session, member)
    return member


@transaction.atomic(durable=True)
def committee_member_add(
    *,
    actor: AbstractBaseUser,
    session: VotingSession,
    full_name: str,
    unit: str,
    role: str,
    user: AbstractBaseUser | None = None,
) -> CommitteeMember:
    """Add a committee member; a person being rated, a second head, a duplicate, or an account
    that is not this body's counting committee (or is linked already) is refused."""
    locked = _lock_committee(session)
    member = committee_member_build(
        session=locked, full_name=full_name, unit=unit, role=role, user=user
    )
    member.save()
    audit_record(
        session=locked,
        actor=actor,
        action="committee_added",
        name=member.full_name,
        role=role,
        account=_account(member),
    )
    return member


@transaction.atomic(durable=True)
def committee_member_update(
    *,
    actor: AbstractBaseUser,
    member: CommitteeMember,
    full_name: str,
    unit: str,
    role: str,
    user: AbstractBaseUser | None = None,
) -> None:
    """Change a member's name, unit, role or linked account (None unlinks it)."""
    locked = _lock_committee(member.session)
    current = CommitteeMember.objects.select_related("user").get(pk=member.pk, session=locked)
    before = _account(current)
    current.full_name, current.unit, current.role = (
        " ".join(full_name.split()),
        " ".join(unit.split()),
        role,
    )
    current.user = user
    current.full_clean(validate_constraints=False)
    _check_member(locked, current)
    current.save()
    detail = {"name": current.full_name, "role": role}
    if _account(current) != before:
        detail.update(account=_account(current), account_before=before)
    audit_record(session=locked, actor=actor, action="committee_updated", **detail)


@transaction.atomic(durable=True)
def committee_member_remove(*, actor: AbstractBaseUser, member: CommitteeMember) -> None:
    locked = _lock_committee(member.session)
    current = CommitteeMember.objects.get(pk=member.pk, session=locked)
    current.delete()
    audit_record(session=locked, actor=actor, action="committee_removed", name=current.full_name)
