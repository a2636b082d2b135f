"""The check-in desk, quorum, open and close, the projector, and who may do each."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from ballots import services
from ballots.models import Ballot, Mark, VoterCode
from sessions import services as session_services
from sessions.models import AuditEvent, Voter, VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, full_choices, make_session, open_session


@built_once
def ready():
    cast = build_cast()
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    cast.codes = services.codes_generate(actor=cast.secretariat, session=cast.session, count=8)
    return cast


def _check_in(session, n):
    for voter in session.voters.order_by("number")[:n]:
        services.voter_check_in(voter=voter, present=True)


def test_the_desk_checks_people_in_without_leaving_a_time_or_an_audit_row(client, ready):
    voter = ready.session.voters.first()
    events = AuditEvent.objects.count()
    client.force_login(ready.committee)
    response = client.post(
        reverse("ballots:check_in", args=[ready.session.pk, voter.pk]), {"present": "1"}
    )
    assert response.status_code == 302
    voter.refresh_from_db()
    assert voter.present
    assert AuditEvent.objects.count() == events


def test_the_desk_finds_people_by_name(client, ready):
    client.force_login(ready.secretariat)
    response = client.get(reverse("ballots:desk", args=[ready.session.pk]), {"q": "biểu 2"})
    assert [v.full_name for v in response.context["voters"]] == ["Đại biểu 2"]


def test_the_desk_activates_a_slip_typed_or_scanned(client, ready):
    _check_in(ready.session, 1)
    client.force_login(ready.committee)
    url = reverse("ballots:desk", args=[ready.session.pk])
    client.post(url, {"code": f"http://10.0.0.2:8000/b/#{ready.codes[0].lower()}"})
    assert VoterCode.objects.filter(state="active").count() == 1
    response = client.post(url, {"code": "7KQ2M-9XH4C-TD8WZ"}, follow=True)
    assert "tồn tại" in response.content.decode()  # "Mã này không tồn tại"
    assert VoterCode.objects.filter(state="active").count() == 1


@pytest.mark.parametrize(("present", "opens"), [(3, False), (4, True), (5, True)])
def test_qd96_opens_only_with_two_thirds_present(ready, present, opens):
    _check_in(ready.session, present)  # 5 summoned: ⅔ needs 4 (3 × 4 ≥ 10)
    if opens:
        assert services.session_open(actor=ready.secretariat, session=ready.session)
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.session_open(actor=ready.secretariat, session=ready.session)
        assert excinfo.value.code == "quorum"
        message = " ".join(excinfo.value.messages)
        assert "3" in message and "5" in message and "4" in message
    ready.session.refresh_from_db()
    assert ready.session.status == ("open" if opens else "ready")


def test_the_quorum_arithmetic_is_exact_at_the_edge():
    from sessions.selectors import Quorum

    assert Quorum(present=2, summoned=3).met  # 3 × 2 = 6 ≥ 6
    assert not Quorum(present=1, summoned=3).met
    assert Quorum(present=321, summoned=481).met  # 963 ≥ 962
    assert not Quorum(present=320, summoned=481).met
    assert Quorum(present=0, summoned=481).needed == 321


def test_nq96_opens_without_quorum_and_shows_the_figure(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, regime="nq96"), cast.secretariat
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    services.codes_generate(actor=cast.secretariat, session=session, count=5)
    assert services.session_open(actor=cast.secretariat, session=session)


def test_electronic_voting_does_not_open_without_printed_codes(cast):
    session_services.session_mark_ready(actor=cast.secretariat, session=cast.session)
    _check_in(cast.session, 5)
    with pytest.raises(ValidationError) as excinfo:
        services.session_open(actor=cast.secretariat, session=cast.session)
    assert excinfo.value.code == "no_codes"


def test_opening_twice_opens_once(ready):
    _check_in(ready.session, 5)
    assert services.session_open(actor=ready.secretariat, session=ready.session) is True
    assert services.session_open(actor=ready.secretariat, session=ready.session) is False
    assert AuditEvent.objects.filter(session=ready.session, action="voting_opened").count() == 1


def test_closing_with_no_ballot_asks_for_confirmation(client, ready):
    _check_in(ready.session, 5)
    services.session_open(actor=ready.secretariat, session=ready.session)
    client.force_login(ready.secretariat)
    url = reverse("ballots:close", args=[ready.session.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert 'name="confirm"' in response.content.decode()
    ready.session.refresh_from_db()
    assert ready.session.status == "open"
    client.post(url, {"confirm": "1"})
    ready.session.refresh_from_db()
    assert ready.session.status == "closed"


def test_close_keeps_the_issued_count_and_kills_every_code(cast):
    codes = open_session(cast.session, cast.secretariat, codes=8, activate=5)
    services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
    )
    services.session_close(actor=cast.secretariat, session=cast.session)
    states = dict(VoterCode.objects.values_list("state").annotate(n=models.Count("pk")).order_by())
    assert states == {"used": 1, "unused": 4, "void": 3}
    event = AuditEvent.objects.get(session=cast.session, action="voting_closed")
    assert (event.detail["cast"], event.detail["issued"]) == (1, 5)
    from ballots.selectors import turnout

    cast.session.refresh_from_db()
    figures = turnout(cast.session)
    assert (figures.issued, figures.cast) == (5, 1)


def _storage_order(model, session_filter):
    table = model._meta.db_table
    key = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {key}")  # noqa: S608 (fixed names)
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def test_close_rewrites_ballots_in_a_new_random_order_with_new_ids(cast):
    codes = open_session(cast.session, cast.secretariat, codes=10, activate=10)
    candidates = list(cast.session.candidates.order_by("order"))
    patterns = []
    for i, code in enumerate(codes):
        # Ballot i is recognizable by its pattern of levels.
        levels = [["high", "medium", "low", "invalid"][(i >> (2 * j)) % 4] for j in range(3)]
        patterns.append(tuple(levels))
        services.ballot_cast(
            raw=code,
            choices={
                c.pk: ("blank" if lv == "invalid" else lv)
                for c, lv in zip(candidates, levels, strict=True)
            },
        )
    before_ids = set(Ballot.objects.values_list("id", flat=True))
    services.session_close(actor=cast.secretariat, session=cast.session)
    order = _storage_order(Ballot, cast.session)
    assert not before_ids & set(order)
    marks = {}
    for ballot_id, candidate_id, level in Mark.objects.values_list(
        "ballot_id", "candidate_id", "level"
    ):
        marks.setdefault(ballot_id, {})[candidate_id] = level
    stored = [tuple(marks[b][c.pk] for c in candidates) for b in order]
    assert sorted(stored) == sorted(patterns)  # the same ballots...
    assert stored != patterns  # ...not in cast order (1 chance in 10! to fail)


def test_after_close_every_ballot_code_and_voter_row_shares_one_transaction(cast):
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    codes = open_session(cast.session, cast.secretariat, codes=4, activate=4)
    for code in codes:
        services.ballot_cast(
            raw=code, choices={int(k[1:]): v for k, v in full_choices(cast.session).items()}
        )
    services.session_close(actor=cast.secretariat, session=cast.session)
    xmins = set()
    with connection.cursor() as cursor:
        for table in ("ballots_ballot", "ballots_votercode", "votesessions_voter"):
            cursor.execute(
                f"SELECT DISTINCT xmin::text FROM {table} WHERE session_id = %s",  # noqa: S608
                [cast.session.pk],
            )
            xmins |= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT m.xmin::text FROM ballots_mark m "
            "JOIN ballots_ballot b ON b.id = m.ballot_id WHERE b.session_id = %s",
            [cast.session.pk],
        )
        xmins |= {row[0] for row in cursor.fetchall()}
    assert len(xmins) == 1


def test_ballots_marks_and_codes_have_no_link_to_people_and_no_time():
    time_fields = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
    for model in (Ballot, Mark, VoterCode, Voter):
        for field in model._meta.get_fields():
            assert not isinstance(field, time_fields), (model, field.name)
            assert field.name != "ip" and "agent" not in field.name
    for model in (Ballot, Mark):
        targets = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        from django.contrib.auth import get_user_model

        assert not targets & {VoterCode, Voter, get_user_model()}, model
    voter_code_targets = {f.related_model for f in VoterCode._meta.concrete_fields if f.is_relation}
    assert voter_code_targets == {VotingSession}


@pytest.mark.parametrize(
    ("name", "who", "expected"),
    [
        ("desk", "secretariat", 200),
        ("desk", "committee", 200),
        ("desk", "leader", 404),
        ("desk", "outsider", 404),
        ("desk", "other_secretariat", 404),
        ("codes", "secretariat", 200),
        ("codes", "committee", 404),
        ("turnout", "leader", 200),
        ("turnout", "parent_leader", 200),
        ("turnout", "other_secretariat", 404),
    ],
)
def test_who_opens_the_voting_pages(client, ready, name, who, expected):
    client.force_login(getattr(ready, who))
    assert client.get(reverse(f"ballots:{name}", args=[ready.session.pk])).status_code == expected


@pytest.mark.parametrize("who", ["committee", "leader", "other_secretariat", "outsider"])
def test_only_the_secretariat_opens_and_closes_voting(client, ready, who):
    _check_in(ready.session, 5)
    client.force_login(getattr(ready, who))
    assert client.post(reverse("ballots:open", args=[ready.session.pk])).status_code == 404
    ready.session.refresh_from_db()
    assert ready.session.status == "ready"


def test_a_voter_of_another_session_cannot_be_checked_in_through_this_one(client, ready):
    stranger = ready.other_session.voters.first()
    client.force_login(ready.secretariat)
    response = client.post(
        reverse("ballots:check_in", args=[ready.session.pk, stranger.pk]), {"present": "1"}
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert not stranger.present


def test_the_turnout_screen_refreshes_and_never_shows_a_result(client, cast):
    codes = open_session(cast.session, cast.secretariat, codes=6, activate=3)
    services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(cast.session, "low").items()}
    )
    client.force_login(cast.leader)
    response = client.get(reverse("ballots:turnout", args=[cast.session.pk]))
    page = response.content.decode()
    assert 'http-equiv="refresh"' in page
    assert (response.context["figures"].issued, response.context["figures"].cast) == (3, 1)
    for word in ("Tín nhiệm thấp", "Tín nhiệm cao", "%"):
        assert word not in page


def test_checking_in_keeps_the_desks_search_even_with_spaces_and_diacritics(client, ready):
    voter = ready.session.voters.order_by("number").first()
    client.force_login(ready.secretariat)
    response = client.post(
        reverse("ballots:check_in", args=[ready.session.pk, voter.pk]),
        {"present": "1", "q": "Đại biểu 1 & co"},
    )
    page = client.get(response["Location"])
    assert page.context["query"] == "Đại biểu 1 & co"


def test_the_desk_comes_back_at_the_row_checked_in_or_at_the_code_form(client, ready):
    voter = ready.session.voters.order_by("number").last()
    client.force_login(ready.committee)
    response = client.post(
        reverse("ballots:check_in", args=[ready.session.pk, voter.pk]), {"present": "1", "q": "5"}
    )
    # A fragment: the browser keeps the place; the server and its logs never see it.
    assert response["Location"].endswith(f"?q=5#v{voter.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="v{voter.pk}"' in page and "js/desk.js" in page
    activated = client.post(
        reverse("ballots:desk", args=[ready.session.pk]), {"code": ready.codes[0]}
    )
    assert activated["Location"].endswith("#activate")
