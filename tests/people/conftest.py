"""The people tests' cast: a province with two bodies below it (A, with A1 below it, and B),
an administrator at the province, at A, at A1 and at B, and the secretariat of A."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sessions.models import Membership, Organization
from tests.factories import make_member, make_org

Role = Membership.Role


@dataclass
class Tree:
    province: Organization
    a: Organization
    a1: Organization
    b: Organization
    admin_province: object
    admin_a: object
    admin_a1: object
    admin_b: object
    secretariat_a: object


@pytest.fixture
def tree(db) -> Tree:
    province = make_org("Tỉnh ủy tỉnh Thử", kind="party")
    a = make_org("Huyện ủy A", kind="party", parent=province)
    a1 = make_org("Đảng ủy xã A1", kind="party", parent=a)
    b = make_org("Hội đồng nhân dân huyện B", kind="state", parent=province)
    return Tree(
        province=province,
        a=a,
        a1=a1,
        b=b,
        admin_province=make_member(province, Role.ADMIN, "qt_tinh"),
        admin_a=make_member(a, Role.ADMIN, "qt_a"),
        admin_a1=make_member(a1, Role.ADMIN, "qt_a1"),
        admin_b=make_member(b, Role.ADMIN, "qt_b"),
        secretariat_a=make_member(a, Role.SECRETARIAT, "thuky_a"),
    )
