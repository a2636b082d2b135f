"""The codes page: the phones' address from this machine's interfaces, and spare stacks of slips
once voting is open, voided by the same rules as the others (issue 16, item 9)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots import lan, services
from ballots.models import VoterCode
from ballots.services import BallotRefused
from sessions import services as session_services
from tests.factories import check_in, fill_session, full_choices, make_session, open_session

IP_JSON = json.dumps(
    [
        {
            "ifname": "lo",
            "flags": ["LOOPBACK", "UP"],
            "addr_info": [{"family": "inet", "local": "127.0.0.1"}],
        },
        {
            "ifname": "wlan0",
            "flags": ["BROADCAST", "UP", "LOWER_UP"],
            "addr_info": [
                {"family": "inet", "local": "192.168.1.23"},
                {"family": "inet", "local": "169.254.7.7"},
            ],
        },
        {
            "ifname": "eth1",
            "flags": ["BROADCAST"],
            "addr_info": [{"family": "inet", "local": "10.9.9.9"}],
        },
        {
            "ifname": "docker0",
            "flags": ["UP"],
            "addr_info": [{"family": "inet", "local": "172.17.0.1"}],
        },
    ]
)


@pytest.fixture
def hall_network(monkeypatch):
    """The machine as `ip -j addr` would describe it on a hall's Wi-Fi: nothing is run."""
    monkeypatch.setattr(lan, "_from_ip_command", lambda: lan.addresses_from_ip_json(IP_JSON))


def test_the_interfaces_give_the_addresses_phones_can_reach_and_never_loopback():
    assert lan.addresses_from_ip_json(IP_JSON) == ["192.168.1.23", "172.17.0.1"]
    assert lan.addresses_from_ip_json("not json") == []


def test_the_codes_page_proposes_the_lan_address_instead_of_127_0_0_1(
    client, cast, hall_network, settings
):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "10.0.0.5"]
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.secretariat)
    url = reverse("ballots:codes", args=[cast.session.pk])
    response = client.get(url, HTTP_HOST="127.0.0.1:8000", SERVER_PORT="8000")
    assert response.context["form"].initial["base_url"] == "http://192.168.1.23:8000"
    page = response.content.decode()
    assert '<option value="http://172.17.0.1:8000">' in page
    assert 'value="http://127.0.0.1' not in page
    # Opened from a phone-reachable address, that one comes first.
    response = client.get(url, HTTP_HOST="10.0.0.5:8000", SERVER_PORT="8000")
    assert response.context["addresses"][:2] == ["http://10.0.0.5:8000", "http://192.168.1.23:8000"]


def test_with_no_lan_address_the_page_proposes_none_and_says_so(client, cast, monkeypatch):
    monkeypatch.setattr(lan, "_from_ip_command", lambda: [])
    monkeypatch.setattr(lan, "_from_host_name", lambda: [])
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    client.force_login(cast.secretariat)
    response = client.get(reverse("ballots:codes", args=[cast.session.pk]), HTTP_HOST="localhost")
    assert response.context["form"].initial["base_url"] == ""
    assert "Máy này chưa có địa chỉ mạng" in response.content.decode()


def test_a_spare_stack_while_voting_is_open_leaves_every_printed_slip_valid(client, cast):
    codes = open_session(cast.session, cast.secretariat, codes=4, activate=2)
    client.force_login(cast.secretariat)
    url = reverse("ballots:codes", args=[cast.session.pk])
    page = client.get(url).content.decode()
    assert "Phiếu mã dự phòng" in page and 'name="kind"' not in page
    response = client.post(url, {"count": 3, "base_url": "http://192.168.1.23:8000"})
    assert response["Content-Type"] == "application/pdf"
    assert VoterCode.objects.filter(session=cast.session).exclude(state="void").count() == 7
    assert services.ballot_open(codes[0])  # handed out before: still votes
    services.code_activate(session=cast.session, raw=codes[2])  # printed before: still activates
    event = cast.session.audit_events.filter(action="codes_generated").order_by("-pk").first()
    assert event.detail["spare"] is True and event.detail["voided"] == 0


def test_spare_slips_not_handed_out_are_void_at_close_and_handed_out_ones_vote(cast):
    open_session(cast.session, cast.secretariat, codes=2, activate=0)
    spare = services.codes_generate(
        actor=cast.secretariat, session=cast.session, count=2, spare=True
    )
    services.code_activate(session=cast.session, raw=spare[0])
    services.ballot_cast(
        raw=spare[0], choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
    )
    services.session_close(actor=cast.secretariat, session=cast.session)
    with pytest.raises(BallotRefused) as refused:
        services.ballot_open(spare[1])
    assert refused.value.reason == "closed"
    states = sorted(VoterCode.objects.filter(session=cast.session).values_list("state", flat=True))
    assert states == ["used", "void", "void", "void"]


def test_spare_slips_of_a_freeze_are_void_once_the_session_goes_back_to_draft(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    services.codes_generate(actor=cast.secretariat, session=cast.session, count=2)
    spare = services.codes_generate(
        actor=cast.secretariat, session=cast.session, count=2, spare=True
    )
    session_services.session_back_to_draft(actor=cast.secretariat, session=cast.session)
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.session.refresh_from_db()
    with pytest.raises(BallotRefused) as refused:
        services.code_activate(session=cast.session, raw=spare[0])
    assert refused.value.reason == "void"


def test_before_opening_the_secretariat_chooses_a_spare_stack_or_a_new_set(client, cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    check_in(cast.session)
    first = services.codes_generate(actor=cast.secretariat, session=cast.session, count=2)
    client.force_login(cast.secretariat)
    url = reverse("ballots:codes", args=[cast.session.pk])
    assert 'name="kind"' in client.get(url).content.decode()
    client.post(url, {"kind": "spare", "count": 1, "base_url": "http://192.168.1.23:8000"})
    services.code_activate(session=cast.session, raw=first[0])
    client.post(url, {"kind": "replace", "count": 1, "base_url": "http://192.168.1.23:8000"})
    assert VoterCode.objects.filter(session=cast.session).exclude(state="void").count() == 1
    with pytest.raises(BallotRefused):
        services.code_activate(session=cast.session, raw=first[1])


def test_no_slips_are_printed_for_paper_ballots_or_once_voting_closed(cast):
    paper = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"), cast.secretariat
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=paper)
    with pytest.raises(ValidationError) as excinfo:
        services.codes_generate(actor=cast.secretariat, session=paper, count=2, spare=True)
    assert excinfo.value.code == "paper"
    open_session(cast.session, cast.secretariat)
    with pytest.raises(ValidationError):  # a new set would void the slips in voters' hands
        services.codes_generate(actor=cast.secretariat, session=cast.session, count=2)
    services.session_close(actor=cast.secretariat, session=cast.session, confirm_empty=True)
    with pytest.raises(ValidationError):
        services.codes_generate(actor=cast.secretariat, session=cast.session, count=2, spare=True)
