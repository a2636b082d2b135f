"""Voter codes: random, grouped, hashed, inert until the desk activates them, voided on reprint."""

from __future__ import annotations

import io
import math
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ballots import codes, services
from ballots.models import VoterCode
from ballots.services import BallotRefused
from sessions import services as session_services
from sessions.models import AuditEvent
from tests.factories import check_in


def test_a_code_carries_at_least_64_bits_and_reads_in_groups():
    assert math.log2(len(codes.ALPHABET)) * codes.LENGTH >= 64
    code = codes.new_code()
    shown = codes.display(code)
    assert len(shown.split("-")) == 3 and all(len(g) == 5 for g in shown.split("-"))
    assert not set("ILOU") & set(code)


@pytest.mark.parametrize(
    "typed",
    [
        "7kq2m-9xh4c-td8wz",
        " 7KQ2M 9XH4C TD8WZ ",
        "7KQ2M9XH4CTD8WZ",
        "http://10.0.0.2:8000/b/#7KQ2M-9XH4C-TD8WZ",
    ],
)
def test_what_people_type_or_scan_is_understood(typed):
    assert codes.normalize(typed) == "7KQ2M9XH4CTD8WZ"


def test_letters_mistaken_for_digits_are_read_as_digits():
    assert codes.normalize("7KQ2M-9XH4C-TDOWI") == "7KQ2M9XH4CTD0W1"


@pytest.mark.parametrize("typed", ["", "7KQ2M", "7KQ2M-9XH4C-TD8WZ-X", "7KQ2M-9XH4C-TD8W!"])
def test_malformed_codes_are_refused(typed):
    assert codes.normalize(typed) is None


def test_codes_are_stored_only_as_keyed_hashes(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    plain = services.codes_generate(actor=cast.secretariat, session=cast.session, count=12)
    assert len(set(plain)) == 12
    stored = list(VoterCode.objects.values_list("code_hash", flat=True))
    assert sorted(stored) == sorted(codes.code_hash(c) for c in plain)
    for code in plain:
        assert code not in str(list(VoterCode.objects.values()))
    event = AuditEvent.objects.get(session=cast.session, action="codes_generated")
    assert event.detail["count"] == 12
    assert not any(code in str(event.detail) for code in plain)


def test_codes_can_be_generated_only_for_a_ready_session(cast):
    with pytest.raises(ValidationError):
        services.codes_generate(actor=cast.secretariat, session=cast.session, count=5)
    assert not VoterCode.objects.exists()


def test_a_printed_slip_does_nothing_until_the_desk_activates_it(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    check_in(cast.session, 1)
    code = services.codes_generate(actor=cast.secretariat, session=cast.session, count=3)[0]
    with pytest.raises(BallotRefused) as refused:
        services.ballot_open(code)
    assert refused.value.reason in {"not_open", "inert"}
    assert services.code_activate(session=cast.session, raw=code) == "activated"
    assert services.code_activate(session=cast.session, raw=code.lower()) == "already"
    assert VoterCode.objects.filter(state="active").count() == 1


def test_the_desk_refuses_a_code_of_another_session(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    session_services.session_mark_ready(actor=cast.other_secretariat, session=cast.other_session)
    foreign = services.codes_generate(
        actor=cast.other_secretariat, session=cast.other_session, count=1
    )[0]
    with pytest.raises(BallotRefused) as refused:
        services.code_activate(session=cast.session, raw=foreign)
    assert refused.value.reason == "unknown"


def test_regenerating_voids_every_earlier_slip(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    check_in(cast.session, 2)
    old = services.codes_generate(actor=cast.secretariat, session=cast.session, count=3)
    services.code_activate(session=cast.session, raw=old[0])
    new = services.codes_generate(actor=cast.secretariat, session=cast.session, count=3)
    with pytest.raises(BallotRefused) as refused:
        services.code_activate(session=cast.session, raw=old[1])
    assert refused.value.reason == "void"
    with pytest.raises(BallotRefused):
        services.code_activate(session=cast.session, raw=old[0])
    assert services.code_activate(session=cast.session, raw=new[0]) == "activated"


def test_going_back_to_draft_voids_printed_slips(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    old = services.codes_generate(actor=cast.secretariat, session=cast.session, count=2)
    session_services.session_back_to_draft(actor=cast.secretariat, session=cast.session)
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    with pytest.raises(BallotRefused) as refused:
        services.code_activate(session=cast.session, raw=old[0])
    assert refused.value.reason == "void"


def test_the_slips_pdf_prints_every_code_ten_to_a_page(client, cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("ballots:codes", args=[cast.session.pk]),
        {"count": 12, "base_url": "http://192.168.1.10:8000"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count(cast.session.title[:20]) == 12
    assert "192.168.1.10:8000/b/" in text
    printed = {codes.normalize(g) for g in re.findall(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text)}
    assert len(printed) == 12
    hashes = set(VoterCode.objects.values_list("code_hash", flat=True))
    assert {codes.code_hash(c) for c in printed} == hashes


def test_the_qr_link_carries_the_code_in_the_fragment_only():
    from ballots.slips import ballot_link

    link = ballot_link("http://10.0.0.2:8000/", "7KQ2M9XH4CTD8WZ")
    assert link == "http://10.0.0.2:8000/b/#7KQ2M-9XH4C-TD8WZ"


@pytest.mark.parametrize("who", ["committee", "leader", "other_secretariat", "outsider"])
def test_only_the_secretariat_prints_slips(client, cast, who):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("ballots:codes", args=[cast.session.pk]), {"count": 3, "base_url": "http://x"}
    )
    assert response.status_code == 404
    assert not VoterCode.objects.exists()
