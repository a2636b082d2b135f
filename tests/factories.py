"""Small, explicit builders for test data (no fixtures files)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from sessions import services
from sessions.imports import VoterRow
from sessions.models import Membership, Organization, VotingSession

Role = Membership.Role

_seq = itertools.count(1)


def make_user(username: str | None = None, **extra: Any) -> User:
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password="pw", **extra)


def make_org(name: str | None = None, *, kind: str = "mass", parent: Organization | None = None):
    return Organization.objects.create(
        name=name or f"Tổ chức {next(_seq)}", kind=kind, parent=parent
    )


def make_member(org: Organization, role: str, username: str | None = None) -> User:
    user = make_user(username)
    Membership.objects.create(user=user, organization=org, role=role)
    return user


def make_session(org: Organization, actor: User, **fields: Any) -> VotingSession:
    values = {
        "title": f"Hội nghị lấy phiếu tín nhiệm {next(_seq)}",
        "date": datetime.date(2026, 12, 14),
        "place": "Hội trường tỉnh",
        "regime": "qd96",
        "procedure": "rating",
        "mode": "electronic",
    }
    values.update(fields)
    return services.session_create(actor=actor, organization=org, **values)


def fill_session(
    session: VotingSession,
    actor: User,
    *,
    candidates: int = 3,
    voters: int = 5,
    head: bool = True,
) -> VotingSession:
    """Give a draft session everything "ready" needs. The committee's head is linked to the
    organization's counting-committee account, if it has one, so that account may certify."""
    for i in range(candidates):
        services.candidate_add(
            actor=actor,
            session=session,
            full_name=f"Ứng viên Số {i + 1}",
            positions=f"Phó Chủ tịch {i + 1}",
        )
    rows = [
        VoterRow(line=i + 2, full_name=f"Đại biểu {i + 1}", unit="Ủy viên BCH")
        for i in range(voters)
    ]
    if rows:
        services.voters_import(actor=actor, session=session, rows=rows, replace=False)
    if head:
        account = (
            Membership.objects.filter(organization=session.organization, role=Role.COMMITTEE)
            .order_by("pk")
            .values_list("user", flat=True)
            .first()
        )
        services.committee_member_add(
            actor=actor,
            session=session,
            full_name="Trưởng Ban Kiểm",
            unit="",
            role="head",
            user=get_user_model().objects.filter(pk=account).first(),
        )
    session.refresh_from_db()
    return session


def link_head(session: VotingSession, actor: User, account: User) -> None:
    """Give the session's committee a head linked to `account` (the Committee tab's link), so
    that account may certify: the existing head if there is one, else "Trưởng Ban Kiểm"."""
    head = session.committee.filter(role="head").first()
    if head is None:
        services.committee_member_add(
            actor=actor,
            session=session,
            full_name="Trưởng Ban Kiểm",
            unit="",
            role="head",
            user=account,
        )
    else:
        services.committee_member_update(
            actor=actor,
            member=head,
            full_name=head.full_name,
            unit=head.unit,
            role="head",
            user=account,
        )


def check_in(session: VotingSession, count: int | None = None) -> None:
    """Mark the first `count` summoned voters present (all of them by default), at the desk."""
    from ballots import services as ballot_services

    for voter in session.voters.order_by("number")[:count]:
        ballot_services.voter_check_in(voter=voter, present=True)


def open_session(session: VotingSession, actor: User, *, codes: int = 10, activate: int = 5):
    """Freeze, print codes, check everyone in, activate some slips, open. Returns the codes.

    Activating more slips than people present needs a recorded explanation (the desk's rule):
    the helper records one first when asked to."""
    from ballots import services as ballot_services

    if session.status == "draft":
        services.session_mark_ready(actor=actor, session=session)
    plain = ballot_services.codes_generate(actor=actor, session=session, count=codes)
    check_in(session)
    if activate > session.voters.count():
        ballot_services.issue_explanation_save(
            actor=actor, session=session, explanation="Phát thêm phiếu cho đại biểu khách mời."
        )
    for code in plain[:activate]:
        ballot_services.code_activate(session=session, raw=code)
    ballot_services.session_open(actor=actor, session=session)
    session.refresh_from_db()
    return plain


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
    # Before the sessions: their committee's head is linked to it (fill_session).
    committee = make_member(org, Role.COMMITTEE, "kiemphieu")
    session = fill_session(make_session(org, secretariat), secretariat)
    other_session = fill_session(make_session(other_org, other_secretariat), other_secretariat)
    return Cast(
        province=province,
        org=org,
        other_org=other_org,
        secretariat=secretariat,
        committee=committee,
        leader=make_member(org, Role.LEADER, "lanhdao"),
        parent_leader=make_member(province, Role.LEADER, "lanhdao_tinh"),
        other_secretariat=other_secretariat,
        outsider=make_user("nguoingoai"),
        superuser=make_user("admin", is_superuser=True, is_staff=True),
        session=session,
        other_session=other_session,
    )


def full_choices(session: VotingSession, level: str = "high") -> dict[str, str]:
    return {f"c{c.pk}": level for c in session.candidates.filter(excluded=False).order_by("order")}


FORM = "application/x-www-form-urlencoded"


def post_form(client: Client, url: str, data: dict[str, Any] | None = None) -> HttpResponse:
    """POST the way a browser sends a form, URL-encoded: the voter pages refuse anything else."""
    return client.post(url, urlencode(data or {}, doseq=True), content_type=FORM)
