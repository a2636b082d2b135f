"""Who may read or change what. Every view goes through these helpers.

Rules:
- any member of an organization (secretariat, committee, leader) reads its sessions;
- a leader of an organization also reads the sessions of every organization below it;
- the secretariat of the session's organization prepares and runs it (opens, closes);
- the secretariat or the committee of the session's organization works the check-in desk;
- the committee of the session's organization counts and certifies;
- an organization administrator manages (people/) the bodies at and below its organization,
  their accounts, roles and officials; the role by itself reads no session;
- a superuser (support staff) may do everything.

A missing object and a forbidden one give the same 404, so ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from .models import Candidate, CommitteeMember, Membership, Organization, Voter, VotingSession

Role = Membership.Role
AnyUser = AbstractBaseUser | AnonymousUser


class Need(StrEnum):
    """What a page needs of the user, named by the roles of sessions' own Membership.

    The needs are groups of roles, which sessions owns; the apps above choose which need each
    of their pages asks for (sessions itself asks RUN for the audit check).
    """

    READ = "read"
    PREPARE = "prepare"  # the secretariat: prepares and runs the session
    RUN = "run"  # the session's staff on the day: the secretariat or the counting committee
    COUNT = "count"  # the counting committee
    ADMINISTER = "administer"  # an organization administrator: its body and every body below


_ROLES_FOR_NEED = {
    Need.PREPARE: {Role.SECRETARIAT},
    Need.RUN: {Role.SECRETARIAT, Role.COMMITTEE},
    Need.COUNT: {Role.COMMITTEE},
}


def _descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """Organizations at or below the given ones (one query; the table is small)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organization.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def organization_ids_for(user: AnyUser, need: Need = Need.READ) -> set[int] | None:
    """Ids of the organizations whose sessions the user may act on; None means all of them."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    memberships = list(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    if need is Need.READ:
        direct = {org_id for org_id, role in memberships if role != Role.ADMIN}
        led = [org_id for org_id, role in memberships if role == Role.LEADER]
        return direct | (_descendant_ids(led) if led else set())
    if need is Need.ADMINISTER:
        held = [org_id for org_id, role in memberships if role == Role.ADMIN]
        return _descendant_ids(held) if held else set()
    return {org_id for org_id, role in memberships if role in _ROLES_FOR_NEED[need]}


def organizations_for(user: AnyUser, need: Need = Need.PREPARE) -> QuerySet[Organization]:
    ids = organization_ids_for(user, need)
    qs = Organization.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def sessions_for(user: AnyUser, need: Need = Need.READ) -> QuerySet[VotingSession]:
    ids = organization_ids_for(user, need)
    qs = VotingSession.objects.select_related("organization")
    return qs if ids is None else qs.filter(organization_id__in=ids)


def can(user: AnyUser, session: VotingSession, need: Need) -> bool:
    ids = organization_ids_for(user, need)
    return ids is None or session.organization_id in ids


def get_organization_for_user(user: AnyUser, pk: int, *, need: Need = Need.PREPARE) -> Organization:
    try:
        return organizations_for(user, need).get(pk=pk)
    except Organization.DoesNotExist:
        raise Http404 from None


def get_session_for_user(user: AnyUser, pk: int, *, need: Need = Need.READ) -> VotingSession:
    try:
        return sessions_for(user, need).get(pk=pk)
    except VotingSession.DoesNotExist:
        raise Http404 from None


def get_candidate_for_user(
    user: AnyUser, session_pk: int, pk: int, *, need: Need = Need.PREPARE
) -> Candidate:
    session = get_session_for_user(user, session_pk, need=need)
    try:
        return Candidate.objects.select_related("official", "session").get(session=session, pk=pk)
    except Candidate.DoesNotExist:
        raise Http404 from None


def get_voter_for_user(
    user: AnyUser, session_pk: int, pk: int, *, need: Need = Need.PREPARE
) -> Voter:
    session = get_session_for_user(user, session_pk, need=need)
    try:
        return Voter.objects.select_related("session").get(session=session, pk=pk)
    except Voter.DoesNotExist:
        raise Http404 from None


def get_committee_member_for_user(
    user: AnyUser, session_pk: int, pk: int, *, need: Need = Need.PREPARE
) -> CommitteeMember:
    session = get_session_for_user(user, session_pk, need=need)
    try:
        return CommitteeMember.objects.select_related("session").get(session=session, pk=pk)
    except CommitteeMember.DoesNotExist:
        raise Http404 from None
