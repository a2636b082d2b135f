"""Demo data: a provincial veterans' association, a People's Council, and a user per role.

Every body and person is fictional, and says so: "tỉnh Mẫu" is no province ("mẫu" reads
"sample"), the candidates are the placeholder names "Nguyễn Văn A", "Trần Thị B"…, and each
title ends with "(dữ liệu mẫu)", because the published result is on a public page and a real
official's name next to demo low-confidence votes would harm a real person.

It lives in `results` because it touches every app (dependencies point one way).

Idempotent: running it again changes nothing but resets the demo passwords to those printed.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from ballots.paper import TallyRow, tally_import
from ballots.tally_matching import rows_matched
from results.services import result_certify, result_publish
from sessions import services
from sessions.imports import VoterRow
from sessions.models import Membership, Organization, VotingSession

DEMO_PASSWORD = "tinnhiem-demo"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Triệu", "Lục", "Ma", "Đàm"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quang"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Phúc",
    "Quý",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thủy",
    "Tuấn",
    "Vân",
    "Yến",
]


def demo_names(count: int, skip: set[str]) -> list[str]:
    names: list[str] = []
    for family, given, middle in itertools.product(FAMILY, GIVEN, MIDDLE):
        name = f"{family} {middle} {given}"
        if name not in skip:
            names.append(name)
        if len(names) == count:
            return names
    raise ValueError("not enough demo names")


class Command(BaseCommand):
    help = "Create demo organizations, users and two draft sessions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            orgs = self._organizations()
            users = self._users(orgs)
        self._veterans_session(orgs["ccb"], users["thuky"], users["kiemphieu"])
        self._council_session(orgs["hdnd"], users["hdnd"], users["kiemphieu"])
        self._published_history(orgs["hdnd"], users["kiemphieu"], users["hdnd"])
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with one of these:"))
        rows = [
            ("thuky", "secretariat, Hội Cựu chiến binh tỉnh Mẫu"),
            ("kiemphieu", "counting committee of both bodies"),
            ("lanhdao", "leader, Tỉnh ủy tỉnh Mẫu (sees the bodies below it)"),
            ("hdnd", "secretariat, Hội đồng nhân dân tỉnh Mẫu"),
            ("bantochuc", "organization administrator, Tỉnh ủy tỉnh Mẫu and every body below"),
            ("admin", "support staff (Django admin at /admin/)"),
        ]
        for username, role in rows:
            self.stdout.write(f"  {username:<10} / {DEMO_PASSWORD}   {role}")

    def _organizations(self) -> dict[str, Organization]:
        province, _ = Organization.objects.get_or_create(
            name="Tỉnh ủy tỉnh Mẫu",
            defaults={
                "kind": Organization.Kind.PARTY,
                "document_name": "ĐẢNG BỘ TỈNH MẪU / TỈNH ỦY",
                "locality": "Mẫu",
            },
        )
        ccb, _ = Organization.objects.get_or_create(
            name="Hội Cựu chiến binh tỉnh Mẫu",
            defaults={
                "kind": Organization.Kind.MASS,
                "parent": province,
                "document_name": "HỘI CCB VIỆT NAM / HỘI CCB TỈNH MẪU",
                "national_heading": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "motto": "Độc lập - Tự do - Hạnh phúc",
                "locality": "Mẫu",
            },
        )
        hdnd, _ = Organization.objects.get_or_create(
            name="Hội đồng nhân dân tỉnh Mẫu",
            defaults={
                "kind": Organization.Kind.STATE,
                "parent": province,
                "document_name": "HỘI ĐỒNG NHÂN DÂN / TỈNH MẪU",
                "locality": "Mẫu",
                # domain.md, the minutes point 6: attendance in the Council's own words.
                "member_noun": "đại biểu Hội đồng nhân dân tỉnh",
                "abbreviation": "HĐND",
            },
        )
        return {"province": province, "ccb": ccb, "hdnd": hdnd}

    def _users(self, orgs: dict[str, Organization]) -> dict[str, Any]:
        user_model = get_user_model()
        spec = [
            ("thuky", "Đàm Thị Thư", orgs["ccb"], Membership.Role.SECRETARIAT),
            ("kiemphieu", "Lục Văn Kiểm", orgs["ccb"], Membership.Role.COMMITTEE),
            ("lanhdao", "Hà Quang Lãnh", orgs["province"], Membership.Role.LEADER),
            ("hdnd", "Nông Thị Hạnh", orgs["hdnd"], Membership.Role.SECRETARIAT),
            ("kiemphieu", "Lục Văn Kiểm", orgs["hdnd"], Membership.Role.COMMITTEE),
            ("bantochuc", "Triệu Văn Chức", orgs["province"], Membership.Role.ADMIN),
        ]
        users = {}
        for username, full_name, org, role in spec:
            # Vietnamese names are written family name first: keep the whole name in first_name.
            user, _ = user_model.objects.get_or_create(
                username=username, defaults={"first_name": full_name}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, organization=org, role=role)
            users[username] = user
        admin, _ = user_model.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        users["admin"] = admin
        return users

    def _session(
        self,
        *,
        organization: Organization,
        actor: Any,
        title: str,
        candidates: list[tuple[str, str]],
        committee: list[tuple[str, str, str]],
        accounts: dict[str, Any],
        voter_count: int,
        voter_units: list[str],
        **fields: Any,
    ) -> None:
        if VotingSession.objects.filter(organization=organization, title=title).exists():
            return
        session = services.session_create(
            actor=actor, organization=organization, title=title, **fields
        )
        for name, position in candidates:
            services.candidate_add(actor=actor, session=session, full_name=name, positions=position)
        for name, unit, role in committee:
            # The member who signs in is linked to the account: only they may certify.
            services.committee_member_add(
                actor=actor,
                session=session,
                full_name=name,
                unit=unit,
                role=role,
                user=accounts.get(name),
            )
        taken = {name for name, _ in candidates}
        names = demo_names(voter_count, taken)
        rows = [
            VoterRow(line=i + 2, full_name=name, unit=voter_units[i % len(voter_units)])
            for i, name in enumerate(names)
        ]
        services.voters_import(
            actor=actor, session=session, rows=rows, replace=False, filename="seed_demo"
        )

    def _published_history(self, organization: Organization, committee: Any, actor: Any) -> None:
        """A counted, certified and published session, for the results pages and the public."""
        title = "Kỳ họp thứ 12 HĐND tỉnh Mẫu: kết quả lấy phiếu tín nhiệm năm 2023 (dữ liệu mẫu)"
        if VotingSession.objects.filter(organization=organization, title=title).exists():
            return
        rows = [
            ("Nguyễn Văn A", "Chủ tịch Hội đồng nhân dân tỉnh", (38, 9, 1)),
            ("Trần Thị B", "Phó Chủ tịch Hội đồng nhân dân tỉnh", (30, 15, 3)),
            ("Lê Văn C", "Chủ tịch Ủy ban nhân dân tỉnh", (19, 2, 25)),
        ]
        tally_rows = [
            TallyRow(
                line=i,
                order=i,
                full_name=name,
                position=position,
                counts=dict(zip(("high", "medium", "low"), counts, strict=True)),
                invalid=None,
            )
            for i, (name, position, counts) in enumerate(rows, start=1)
        ]
        matches, _problems = rows_matched(organization, tally_rows)
        session = tally_import(
            actor=actor,
            organization=organization,
            title=title,
            regime=VotingSession.Regime.NQ96,
            procedure=VotingSession.Procedure.RATING,
            date=datetime.date(2023, 12, 7),
            place="Hội trường Trung tâm Hội nghị tỉnh",
            rows=tally_rows,
            # The 2023 count continues the people of the 2026 list: one history each.
            links={m.row.line: m.official for m in matches if m.official is not None},
            collected=48,
            issued=49,
            summoned=50,
            present=49,
            subject="người giữ chức vụ do Hội đồng nhân dân tỉnh bầu",
            start_time=datetime.time(15, 30),
            committee=[
                ("Lý Thị Nga", "Đại biểu HĐND tỉnh, tổ số 1", "head"),
                ("Lục Văn Kiểm", "Đại biểu HĐND tỉnh, tổ số 3", "member"),
            ],
        )
        # An imported count names no accounts: the secretariat links the member who signs in
        # (the Committee tab), and that member certifies.
        member = session.committee.get(full_name="Lục Văn Kiểm")
        services.committee_member_update(
            actor=actor,
            member=member,
            full_name=member.full_name,
            unit=member.unit,
            role=member.role,
            user=committee,
        )
        result_certify(actor=committee, session=session)
        result_publish(actor=actor, session=session)

    def _veterans_session(self, organization: Organization, actor: Any, committee: Any) -> None:
        self._session(
            organization=organization,
            actor=actor,
            title=(
                "Hội nghị lấy phiếu tín nhiệm lãnh đạo Hội Cựu chiến binh tỉnh Mẫu năm 2026"
                " (dữ liệu mẫu)"
            ),
            subject="Chủ tịch, các Phó Chủ tịch Hội Cựu chiến binh tỉnh",
            date=datetime.date(2026, 12, 14),
            start_time=datetime.time(14, 0),
            place="Hội trường Hội Cựu chiến binh tỉnh Mẫu",
            regime=VotingSession.Regime.QD96,
            procedure=VotingSession.Procedure.RATING,
            mode=VotingSession.Mode.ELECTRONIC,
            candidates=[
                ("Hoàng Văn D", "Chủ tịch Hội Cựu chiến binh tỉnh"),
                ("Phạm Văn E", "Phó Chủ tịch Thường trực Hội Cựu chiến binh tỉnh"),
                ("Vũ Thị G", "Phó Chủ tịch Hội Cựu chiến binh tỉnh"),
            ],
            committee=[
                ("Lục Văn Kiểm", "Trưởng ban Tổ chức - Kiểm tra", "head"),
                ("Lục Thị Hoa", "Chánh Văn phòng", "member"),
                ("Đàm Văn Tùng", "Trưởng ban Tuyên huấn", "member"),
            ],
            accounts={"Lục Văn Kiểm": committee},
            voter_count=40,
            voter_units=[
                "Ủy viên Ban Chấp hành Hội tỉnh",
                "Chi ủy viên Chi bộ cơ quan",
                "Chủ tịch Hội CCB huyện",
                "Trưởng ban chuyên môn",
                "Trưởng đoàn thể cơ quan",
            ],
        )

    def _council_session(self, organization: Organization, actor: Any, committee: Any) -> None:
        self._session(
            organization=organization,
            actor=actor,
            title="Kỳ họp thứ 15 HĐND tỉnh Mẫu: lấy phiếu tín nhiệm (dữ liệu mẫu)",
            subject="người giữ chức vụ do Hội đồng nhân dân tỉnh bầu",
            date=datetime.date(2026, 12, 8),
            start_time=datetime.time(8, 0),
            place="Hội trường Trung tâm Hội nghị tỉnh",
            regime=VotingSession.Regime.NQ96,
            procedure=VotingSession.Procedure.RATING,
            mode=VotingSession.Mode.PAPER_TALLY,
            candidates=[
                ("Nguyễn Văn A", "Chủ tịch Hội đồng nhân dân tỉnh"),
                ("Trần Thị B", "Phó Chủ tịch Hội đồng nhân dân tỉnh"),
                ("Lê Văn C", "Chủ tịch Ủy ban nhân dân tỉnh"),
                ("Đỗ Thị H", "Phó Chủ tịch Ủy ban nhân dân tỉnh"),
                ("Bùi Văn K", "Trưởng ban Kinh tế - Ngân sách HĐND tỉnh"),
            ],
            committee=[
                ("Lý Thị Nga", "Đại biểu HĐND tỉnh, tổ số 1", "head"),
                ("Bế Văn Sáng", "Đại biểu HĐND tỉnh, tổ số 2", "member"),
                ("Lục Văn Kiểm", "Đại biểu HĐND tỉnh, tổ số 3", "member"),
            ],
            accounts={"Lục Văn Kiểm": committee},
            voter_count=50,
            voter_units=["Đại biểu HĐND tỉnh"],
        )
