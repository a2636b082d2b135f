"""Bad input at scale: random payloads never cause a 500 or a partial write."""

from __future__ import annotations

import os
import unicodedata
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ballots import services
from ballots.models import Ballot, CountSheet, Mark, TallyCount, VoterCode
from ballots.tally_checks import MAX_COUNT, parse_count
from ballots.tally_file import parse_tally_file
from sessions.imports import clean_text, parse_voter_file
from sessions.models import VotingSession
from tests.built_once import built_once
from tests.factories import build_cast, fill_session, make_session, open_session, post_form

# 60 random payloads a test in CI (CI=true), where time is cheap and every push is fuzzed; 25
# on a laptop's `make test`, where the suite runs many times a day and Hypothesis's example
# database (.hypothesis/) replays every failure it found before. Each case is a full request
# through the app, so examples cost: 25 keep each run's fuzzing about 2 s instead of 5.
FUZZ = settings(
    max_examples=60 if os.environ.get("CI") == "true" else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

field_name = st.one_of(
    st.from_regex(r"\Ac[0-9]{1,4}\Z"),
    st.sampled_from(["code", "c", "cx", "c-1", ""]),
    st.text(max_size=8),
)
field_values = st.lists(
    st.one_of(
        st.sampled_from(["high", "medium", "low", "yes", "no", "blank", "invalid", ""]),
        st.text(max_size=20),
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(
    payload=st.dictionaries(field_name, field_values, max_size=8),
    pick=st.integers(0, 199),
    use_real_code=st.booleans(),
)
def test_random_ballots_get_a_4xx_or_count_whole(voting_session, payload, pick, use_real_code):
    session, codes = voting_session
    data = dict(payload)
    if use_real_code:
        data["code"] = [codes[pick]]
    client = Client()  # a fresh device each time: the guess throttle is tested elsewhere
    response = post_form(client, reverse("ballots:cast"), data)
    assert response.status_code < 500
    assert response.status_code in {302, 400, 403, 404, 409, 410, 429}
    ballots = Ballot.objects.filter(session=session).count()
    assert ballots == VoterCode.objects.filter(session=session, state="used").count()
    assert Mark.objects.filter(ballot__session=session).count() == 3 * ballots


@built_once
def voting():
    cast = build_cast()
    cast.codes = open_session(cast.session, cast.secretariat, codes=200, activate=200)
    return cast


@pytest.fixture
def voting_session(voting):
    return voting.session, voting.codes


@FUZZ
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_random_files_never_crash_the_importers(data, name):
    voters = parse_voter_file(name, data)
    _rows_or_reasons(voters)
    for voter in voters.rows:
        assert 0 < len(voter.full_name) <= 150 and len(voter.unit) <= 300
        assert voter.full_name == clean_text(voter.full_name)
    people = {(v.full_name.casefold(), v.unit.casefold()) for v in voters.rows}
    assert len(people) == len(voters.rows)  # no one twice
    for procedure in ("rating", "confidence"):
        tally = parse_tally_file(name, data, procedure=procedure, collected=47)
        _rows_or_reasons(tally)
        for row in tally.rows:
            assert all(0 <= n <= 47 for n in row.counts.values())
            assert sum(row.counts.values()) + (row.invalid or 0) <= 47


def _rows_or_reasons(result) -> None:
    """A file gives rows to import, or says in words why not: never neither, never silence."""
    assert result.rows or result.problems
    assert result.ok is not bool(result.problems)
    assert all(str(problem).strip() for problem in result.problems)


csv_text = st.lists(
    st.lists(st.one_of(st.integers(-5, 60).map(str), st.text(max_size=6)), min_size=1, max_size=7),
    min_size=1,
    max_size=6,
).map(
    lambda rows: (
        "Họ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp,Không hợp lệ\n"
        + "\n".join(",".join(row) for row in rows)
    )
)


@FUZZ
@given(text=csv_text)
def test_tally_files_either_check_out_exactly_or_name_their_problems(text):
    parsed = parse_tally_file("t.csv", text.encode(), procedure="rating", collected=47)
    for row in parsed.rows:
        assert all(0 <= n <= 47 for n in row.counts.values())
        assert sum(row.counts.values()) + (row.invalid or 0) <= 47
    for problem in parsed.problems:
        assert str(problem)


@built_once
def tally_closed():
    from sessions import services as session_services

    cast = build_cast()
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_tally"),
        cast.secretariat,
        candidates=2,
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    cast.tally = session
    return cast


@pytest.fixture
def tally_session(tally_closed):
    client = Client()
    client.force_login(tally_closed.committee)
    return tally_closed.tally, client


tally_field = st.one_of(
    st.sampled_from(["present", "issued", "collected", "whole_invalid", "explanation"]),
    st.from_regex(r"\An_[0-9]{1,3}_(high|medium|low|invalid|yes)\Z"),
)


# What an attacker types where a number or a name is expected: NUL, lone surrogates (sent as
# the invalid UTF-8 a raw request can carry), huge and exotic integers, and plain noise.
hostile_text = st.one_of(
    st.integers(-3, 12).map(str),
    st.sampled_from(
        [
            str(MAX_COUNT),
            str(MAX_COUNT + 1),
            str(2**63),
            str(10**30),
            "9" * 5000,
            "²",
            "١٢",
            "\x00",
            "1\x00",
            "\ud800",
            "a\udfff",
            "1e5",
            "",
        ]
    ),
    st.text(max_size=5),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cs", "Cc"]), max_size=4),
)


def _raw(pairs) -> str:
    """URL-encoded as a hostile client sends it: a lone surrogate becomes invalid UTF-8."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in pairs)


def _quoted(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


@FUZZ
@given(form=st.dictionaries(tally_field, hostile_text, max_size=14))
def test_random_tally_forms_save_whole_or_not_at_all(tally_session, form):
    session, client = tally_session
    TallyCount.objects.filter(session=session).delete()
    CountSheet.objects.filter(session=session).delete()
    response = client.post(
        reverse("ballots:tally", args=[session.pk]),
        _raw(form.items()),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {302, 400}
    saved = TallyCount.objects.filter(session=session).count()
    if response.status_code == 302:
        assert saved == 2 * 4 and CountSheet.objects.filter(session=session).exists()
        assert all(0 <= n <= MAX_COUNT for n in session.tally.values_list("count", flat=True))
    else:
        assert saved == 0 and not CountSheet.objects.filter(session=session).exists()


figure = st.sampled_from(["collected", "issued", "summoned"])


@FUZZ
@given(figures=st.dictionaries(figure, hostile_text, max_size=3), title=hostile_text)
@example(figures={}, title="Kỳ họp\nthứ 13")  # found once at random: a line feed in a title
def test_random_tally_imports_create_a_whole_session_or_nothing(tally_closed, figures, title):
    client = Client()
    client.force_login(tally_closed.secretariat)
    before = VotingSession.objects.count()
    data = {
        "organization": str(tally_closed.org.pk),
        "title": title,
        "date": "2026-09-14",
        "regime": "qd96",
        "procedure": "rating",
        "collected": "47",
        **figures,
    }
    boundary = "fuzz"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in data.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="kq.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nHọ và tên,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\r\n"
        f"Hoàng Văn Thành,40,5,2\r\n--{boundary}--\r\n"
    )
    body = "".join(parts).encode("utf-8", errors="surrogatepass")
    response = client.post(
        reverse("ballots:tally_import"),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code in {200, 302, 400}
    created = VotingSession.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
    if created:
        session = VotingSession.objects.latest("pk")
        # No NUL, no other control character, no lone surrogate.
        assert not {unicodedata.category(ch) for ch in session.title} & {"Cc", "Cs"}
        # Each line's counts add up to the ballots collected (the rest of a line is invalid).
        collected, _problem = parse_count(data["collected"])
        assert all(0 <= n <= collected for n in session.tally.values_list("count", flat=True))


PAGES = [
    ("votesessions:voters", True),
    ("votesessions:candidates", True),
    ("votesessions:dashboard", False),
    ("ballots:desk", True),
    ("ballots:turnout", True),
    ("results:page", True),
    ("results:public_list", False),
]
parameter = st.one_of(st.sampled_from(["q", "sort", "page", "copies", "next"]), hostile_text)


@FUZZ
@given(
    page=st.sampled_from(PAGES),
    query=st.lists(st.tuples(parameter, hostile_text), max_size=4),
    public_id=hostile_text,
)
def test_random_query_parameters_never_give_a_500(voting, page, query, public_id):
    client = Client()
    client.force_login(voting.secretariat)
    name, takes_pk = page
    url = reverse(name, args=[voting.session.pk] if takes_pk else [])
    assert client.get(f"{url}?{_raw(query)}").status_code < 500
    public = f"/public/{_quoted(public_id)}/"
    assert client.get(f"{public}?{_raw(query)}").status_code < 500
