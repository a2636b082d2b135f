"""Who may see a session's results. Never anybody while voting is open or before.

- closed or certified, not published: the session's readers (its organization's members and the
  leaders above it), to check and certify;
- published, internal scope: also every signed-in member of the organizations above;
- published, public scope: anyone, signed in or not.
The per-ballot set is narrower: only the session's counting committee (and support staff).
Certifying is narrower still: only an account linked to a member of the session's committee.
A session whose results the user may not see answers like a missing one (404).
"""

from __future__ import annotations

from django.http import Http404

from sessions import models as session_models
from sessions.access import AnyUser, Need, can
from sessions.models import CommitteeMember, Membership, Organization, VotingSession

COUNTED = session_models.COUNTED


def _member_of_an_ancestor(user: AnyUser, session: VotingSession) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    ancestors = Organization.objects.get(pk=session.organization_id).ancestor_ids()
    return Membership.objects.filter(user=user, organization_id__in=ancestors).exists()


def can_see_results(user: AnyUser, session: VotingSession) -> bool:
    if not session.is_counted:
        return False
    if session.is_published:
        if session.scope == VotingSession.Scope.PUBLIC:
            return True
        if can(user, session, Need.READ) or _member_of_an_ancestor(user, session):
            return True
    return user.is_authenticated and can(user, session, Need.READ)


def get_result_session_for_user(user: AnyUser, pk: int) -> VotingSession:
    session = VotingSession.objects.select_related("organization").filter(pk=pk).first()
    if session is None or not can_see_results(user, session):
        raise Http404
    return session


def get_published_session(user: AnyUser, public_id: str) -> VotingSession:
    """By public id, for the API and the public pages: the same rules."""
    session = (
        VotingSession.objects.select_related("organization").filter(public_id=public_id).first()
    )
    if session is None or not can_see_results(user, session):
        raise Http404
    return session


def can_download_ballot_set(user: AnyUser, session: VotingSession) -> bool:
    """The counting committee of the session's organization, and superusers; nobody else.

    With a handful of people on the ballot every pattern of marks can be unique, so a
    vote-buyer holding the per-ballot file could check a pre-agreed pattern. The committee
    needs it to recount; everybody else has its SHA-256, printed in the minutes.
    """
    return can_see_results(user, session) and can(user, session, Need.COUNT)


def get_ballot_set_session_for_user(user: AnyUser, pk: int) -> VotingSession:
    """The session whose ballot set the user may download; otherwise the same 404 as missing."""
    session = get_result_session_for_user(user, pk)
    if not can_download_ballot_set(user, session):
        raise Http404
    return session


def linked_to_committee(user: AnyUser, session: VotingSession) -> bool:
    """The account is linked to a member of this session's own counting committee."""
    return (
        user.is_authenticated
        and user.is_active
        and CommitteeMember.objects.filter(session=session, user_id=user.pk).exists()
    )


def can_certify(user: AnyUser, session: VotingSession) -> bool:
    """The counting committee of the session's organization, and of them only the accounts
    linked to a member of this session's committee: the people the minutes name as counting.
    Nobody else, support staff included."""
    return can(user, session, Need.COUNT) and linked_to_committee(user, session)


def can_publish(user: AnyUser, session: VotingSession) -> bool:
    """The committee or the secretariat of the session's organization."""
    return can(user, session, Need.RUN)
