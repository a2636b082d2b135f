from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from sessions.models import Membership, Organization, VotingSession

from .factories import fill_session, make_member, make_org, make_session, make_user

Role = Membership.Role


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic needed to run the tests: plain storage instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Cast:
    """The shared cast: a province whose leader sees the veterans' association below it."""

    province: Organization
    org: Organization
    other_org: Organization
    secretariat: User
    committee: User
    leader: User
    parent_leader: User
    other_secretariat: User
    outsider: User
    superuser: User
    session: VotingSession
    other_session: VotingSession


def build_cast() -> Cast:
    province = make_org("Tỉnh ủy", kind="party")
    org = make_org("Hội CCB tỉnh", parent=province)
    other_org = make_org("Hội Nông dân tỉnh")
    secretariat = make_member(org, Role.SECRETARIAT, "thuky")
    other_secretariat = make_member(other_org, Role.SECRETARIAT, "thuky_khac")
    session = fill_session(make_session(org, secretariat), secretariat)
    other_session = fill_session(make_session(other_org, other_secretariat), other_secretariat)
    return Cast(
        province=province,
        org=org,
        other_org=other_org,
        secretariat=secretariat,
        committee=make_member(org, Role.COMMITTEE, "kiemphieu"),
        leader=make_member(org, Role.LEADER, "lanhdao"),
        parent_leader=make_member(province, Role.LEADER, "lanhdao_tinh"),
        other_secretariat=other_secretariat,
        outsider=make_user("nguoingoai"),
        superuser=make_user("admin", is_superuser=True, is_staff=True),
        session=session,
        other_session=other_session,
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def cast_tx(transactional_db) -> Cast:
    """The same cast for tests that need real commits (threads, row locks)."""
    return build_cast()
