"""Invariants enforced by the database itself, whatever code path writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from sessions.models import (
    Candidate,
    CommitteeMember,
    Membership,
    Organization,
    Voter,
    VotingSession,
)


def _raises_integrity(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_one_head_per_committee(cast):
    _raises_integrity(
        lambda: CommitteeMember.objects.create(session=cast.session, full_name="X", role="head")
    )


def test_an_official_appears_once_per_session(cast):
    existing = cast.session.candidates.first()
    _raises_integrity(
        lambda: Candidate.objects.create(
            session=cast.session, official=existing.official, position="P", order=99
        )
    )


def test_ballot_order_is_unique_within_a_session(cast):
    other = cast.other_session.candidates.first().official
    _raises_integrity(
        lambda: Candidate.objects.create(
            session=cast.session, official=other, position="P", order=1
        )
    )


def test_an_excluded_candidate_must_have_a_reason(cast):
    _raises_integrity(
        lambda: Candidate.objects.filter(pk=cast.session.candidates.first().pk).update(
            excluded=True
        )
    )


def test_a_reason_without_exclusion_is_refused(cast):
    _raises_integrity(
        lambda: Candidate.objects.filter(pk=cast.session.candidates.first().pk).update(
            exclusion_reason="retiring"
        )
    )


def test_a_voter_is_summoned_once(cast):
    voter = cast.session.voters.first()
    _raises_integrity(
        lambda: Voter.objects.create(
            session=cast.session, number=99, full_name=voter.full_name, unit=voter.unit
        )
    )


def test_a_ready_session_must_carry_its_fingerprint(cast):
    _raises_integrity(
        lambda: VotingSession.objects.filter(pk=cast.session.pk).update(status="ready")
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("regime", "nq99"), ("procedure", "x"), ("mode", "x"), ("scope", "x"), ("status", "x")],
)
def test_unknown_choices_are_refused_by_the_database(cast, field, value):
    _raises_integrity(
        lambda: VotingSession.objects.filter(pk=cast.session.pk).update(**{field: value})
    )


def test_a_role_is_held_once_per_organization(cast):
    _raises_integrity(
        lambda: Membership.objects.create(
            user=cast.secretariat, organization=cast.org, role="secretariat"
        )
    )


def test_an_organization_kind_must_be_known(db):
    _raises_integrity(lambda: Organization.objects.create(name="X", kind="club"))


def test_empty_names_are_refused(cast):
    _raises_integrity(lambda: Voter.objects.create(session=cast.session, number=50, full_name=""))
    _raises_integrity(
        lambda: VotingSession.objects.create(
            organization=cast.org,
            title="",
            date=datetime.date(2026, 1, 1),
            place="x",
            regime="qd96",
            scope="internal",
        )
    )


def test_a_public_id_never_starts_with_a_dash_so_commands_take_it_as_an_argument():
    from unittest import mock

    from sessions.models import new_public_id

    tokens = iter(["-abcdefghijk", "-bcdefghijkl", "Xcdefghijklm"])
    with mock.patch("sessions.models.session.secrets.token_urlsafe", lambda _n: next(tokens)):
        assert new_public_id() == "Xcdefghijklm"
    assert not any(new_public_id().startswith("-") for _ in range(2000))
