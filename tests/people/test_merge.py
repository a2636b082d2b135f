"""Merging duplicate officials: every candidacy moves, the merge is recorded, the refusals, and
a certified session still verifies and shows the name it was certified with."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots import paper
from people import services
from people.models import OfficialMerge
from results import services as result_services
from sessions import services as session_services
from sessions.models import Candidate, Membership, Official, RegistryEvent
from tests.factories import link_head, make_member, make_session


def _certified_tally(tree, name: str):
    """A certified paper tally of body A in 2023, rating `name` (its own new official)."""
    committee = make_member(tree.a, Membership.Role.COMMITTEE)
    session = paper.tally_import(
        actor=tree.secretariat_a,
        organization=tree.a,
        title="Kỳ họp thứ 12: kết quả lấy phiếu tín nhiệm năm 2023",
        regime="nq96",
        procedure="rating",
        date=datetime.date(2023, 12, 7),
        rows=[
            paper.TallyRow(1, 1, name, "Chủ tịch", {"high": 30, "medium": 10, "low": 8}, 0),
            paper.TallyRow(
                2, 2, "Lê Văn C", "Phó Chủ tịch", {"high": 20, "medium": 8, "low": 20}, 0
            ),
        ],
        collected=48,
        issued=48,
        present=48,
    )
    link_head(session, committee, committee)
    result_services.result_certify(actor=committee, session=session)
    session.refresh_from_db()
    return session, committee


def test_merging_moves_every_candidacy_and_is_recorded(client, tree):
    kept = services.official_create(
        actor=tree.admin_a, organization=tree.a, full_name="Trần Văn Tuấn", positions="Chủ tịch"
    )
    session = make_session(tree.a, tree.secretariat_a)
    duplicate = session_services.candidate_add(
        actor=tree.secretariat_a, session=session, full_name="Trần Văn Tuấn", positions="Chủ tịch"
    ).official
    client.force_login(tree.admin_a)
    client.post(reverse("people:official_merge", args=[kept.pk]), {"merged": duplicate.pk})
    assert not Official.objects.filter(pk=duplicate.pk).exists()
    assert session.candidates.get().official == kept
    record = OfficialMerge.objects.get()
    assert (record.kept, record.merged_id, record.actor) == (kept, duplicate.pk, tree.admin_a)
    assert record.candidacies == [{"candidate": session.candidates.get().pk, "session": session.pk}]
    event = RegistryEvent.objects.get(object_id=duplicate.pk, action="deleted")
    assert event.note.startswith(f"merged into #{kept.pk}")


def test_a_merge_across_bodies_is_refused(client, tree):
    a = services.official_create(
        actor=tree.admin_province, organization=tree.a, full_name="Trần Văn Tuấn", positions="X"
    )
    b = services.official_create(
        actor=tree.admin_province, organization=tree.b, full_name="Trần Văn Tuấn", positions="X"
    )
    with pytest.raises(ValidationError) as refusal:
        services.official_merge(actor=tree.admin_province, kept=a, merged=b)
    assert refusal.value.code == "across_bodies"
    client.force_login(tree.admin_province)
    response = client.post(reverse("people:official_merge", args=[a.pk]), {"merged": b.pk})
    assert response.status_code == 302
    assert Official.objects.filter(pk=b.pk).exists() and not OfficialMerge.objects.exists()
    # An administrator of A cannot even name B's official: the 404 of a missing one.
    client.force_login(tree.admin_a)
    response = client.post(reverse("people:official_merge", args=[a.pk]), {"merged": b.pk})
    assert response.status_code == 404


def test_two_people_on_one_list_are_not_merged(tree):
    session = make_session(tree.a, tree.secretariat_a)
    one, two = (
        session_services.candidate_add(
            actor=tree.secretariat_a, session=session, full_name=name, positions="Ủy viên"
        ).official
        for name in ("Trần Văn Tuấn", "Trần Văn Tuân")
    )
    with pytest.raises(ValidationError) as refusal:
        services.official_merge(actor=tree.admin_a, kept=one, merged=two)
    assert refusal.value.code == "same_session"
    assert Official.objects.filter(pk=two.pk).exists()


def test_a_certified_results_page_still_verifies_after_a_merge_and_keeps_its_frozen_name(
    client, tree
):
    session, committee = _certified_tally(tree, "TRẦN VĂN TUẤN")
    duplicate = Official.objects.get(full_name="TRẦN VĂN TUẤN")
    kept = services.official_create(
        actor=tree.admin_a, organization=tree.a, full_name="Trần Văn Tuấn", positions="Chủ tịch"
    )
    services.official_merge(actor=tree.admin_a, kept=kept, merged=duplicate)
    assert Candidate.objects.get(session=session, order=1).official == kept

    client.force_login(committee)
    page = client.get(reverse("results:page", args=[session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "TRẦN VĂN TUẤN" in html  # the name as certified
    assert reverse("results:official", args=[kept.pk]) in html  # linked to the one kept
    history = client.get(reverse("results:official", args=[kept.pk]))
    assert history.status_code == 200 and session.title in history.content.decode()


def test_a_candidate_re_pointed_without_a_recorded_merge_still_fails_verification(client, tree):
    session, committee = _certified_tally(tree, "Trần Văn Tuấn")
    other = Official.objects.create(organization=tree.a, full_name="Người khác", positions="X")
    Candidate.objects.filter(session=session, order=1).update(official=other)
    client.force_login(committee)
    assert client.get(reverse("results:page", args=[session.pk])).status_code == 409
