"""The campaign tests' cast: a province launching a campaign for three bodies below it (A runs
an electronic session, B imports a paper tally, C does nothing), and a province outside."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ballots import paper
from ballots import services as ballot_services
from campaigns import services
from campaigns.models import Campaign
from results import services as result_services
from sessions import services as session_services
from sessions.imports import VoterRow
from sessions.models import Membership, Organization, VotingSession
from tests.built_once import built_once
from tests.factories import link_head, make_member, make_org, make_user, open_session

Role = Membership.Role
YEAR = 2026

# Electronic session of A: five ballots; "Nguyễn Văn Thấp" is rated low on three of the five
# (3/5: more than half, under two thirds), the others high.
A_PEOPLE = [
    ("Trần Văn Cao", "Bí thư"),
    ("Nguyễn Văn Thấp", "Phó Bí thư"),
    ("Lê Thị Vừa", "Ủy viên"),
]
# B's imported tally: 48 ballots collected; 33 low of 48 is two thirds or more (99 ≥ 96).
B_ROWS = [
    ("Lê Thị Hoa", "Chủ tịch", {"high": 30, "medium": 10, "low": 8}),
    ("Phạm Văn Nam", "Phó Chủ tịch", {"high": 10, "medium": 5, "low": 33}),
]


@dataclass
class World:
    province: Organization
    a: Organization
    b: Organization
    c: Organization
    other: Organization
    admin: object
    secretariat: object
    leader: object
    secretariat_a: object
    secretariat_b: object
    secretariat_c: object
    committee_a: object
    committee_b: object
    leader_a: object
    other_secretariat: object
    outsider: object
    campaign: Campaign


def build_world() -> World:
    province = make_org("Tỉnh ủy tỉnh Thử", kind="party")
    a = make_org("Huyện ủy A", kind="party", parent=province)
    b = make_org("Hội đồng nhân dân huyện B", kind="state", parent=province)
    c = make_org("Hội Cựu chiến binh huyện C", kind="mass", parent=province)
    other = make_org("Tỉnh ủy tỉnh Khác", kind="party")
    admin = make_member(province, Role.ADMIN, "bantochuc")
    world = World(
        province=province,
        a=a,
        b=b,
        c=c,
        other=other,
        admin=admin,
        secretariat=make_member(province, Role.SECRETARIAT, "thuky_tinh"),
        leader=make_member(province, Role.LEADER, "lanhdao_tinh"),
        secretariat_a=make_member(a, Role.SECRETARIAT, "thuky_a"),
        secretariat_b=make_member(b, Role.SECRETARIAT, "thuky_b"),
        secretariat_c=make_member(c, Role.SECRETARIAT, "thuky_c"),
        committee_a=make_member(a, Role.COMMITTEE, "kiemphieu_a"),
        committee_b=make_member(b, Role.COMMITTEE, "kiemphieu_b"),
        leader_a=make_member(a, Role.LEADER, "lanhdao_a"),
        other_secretariat=make_member(other, Role.SECRETARIAT, "thuky_khac"),
        outsider=make_user("nguoingoai"),
        campaign=services.campaign_launch(
            actor=admin,
            organization=province,
            bodies=[a, b, c],
            title="Lấy phiếu tín nhiệm giữa nhiệm kỳ năm 2026",
            year=YEAR,
            regime="qd96",
            procedure="rating",
            deadline=datetime.date(YEAR, 12, 20),
        ),
    )
    return world


def run_electronic(world: World) -> VotingSession:
    """A's session, created from the campaign, voted and certified."""
    session = services.campaign_session_create(
        actor=world.secretariat_a, campaign=world.campaign, organization=world.a
    )
    actor = world.secretariat_a
    for name, position in A_PEOPLE:
        session_services.candidate_add(
            actor=actor, session=session, full_name=name, positions=position
        )
    rows = [VoterRow(line=i + 2, full_name=f"Đại biểu {i + 1}", unit="") for i in range(5)]
    session_services.voters_import(actor=actor, session=session, rows=rows, replace=False)
    link_head(session, actor, world.committee_a)
    codes = open_session(session, actor, codes=5, activate=5)
    candidates = list(session.candidates.on_ballot())
    for index, code in enumerate(codes):
        choices = {candidate.pk: "high" for candidate in candidates}
        if index < 3:
            choices[candidates[1].pk] = "low"
        ballot_services.ballot_cast(raw=code, choices=choices)
    ballot_services.session_close(actor=actor, session=session)
    session.refresh_from_db()
    result_services.result_certify(actor=world.committee_a, session=session)
    session.refresh_from_db()
    return session


def import_tally(world: World, *, date: datetime.date | None = None, regime: str = "qd96"):
    """B's paper tally, imported and certified (not yet attached)."""
    session = paper.tally_import(
        actor=world.secretariat_b,
        organization=world.b,
        title="Kết quả lấy phiếu tín nhiệm năm 2026",
        regime=regime,
        procedure="rating",
        date=date or datetime.date(YEAR, 11, 5),
        rows=[
            paper.TallyRow(i + 1, i + 1, name, position, counts, 0)
            for i, (name, position, counts) in enumerate(B_ROWS)
        ],
        collected=48,
        issued=48,
        present=48,
        summoned=50,
    )
    link_head(session, world.secretariat_b, world.committee_b)
    result_services.result_certify(actor=world.committee_b, session=session)
    session.refresh_from_db()
    return session


@built_once
def world() -> World:
    return build_world()


@built_once
def reported() -> tuple[World, VotingSession, VotingSession]:
    """Both sessions certified and linked; C has none."""
    built = build_world()
    electronic = run_electronic(built)
    tally = import_tally(built)
    services.campaign_session_attach(
        actor=built.secretariat_b, campaign=built.campaign, organization=built.b, session=tally
    )
    return built, electronic, tally
