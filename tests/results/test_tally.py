"""The tally: the denominator, the bands, per-line invalidity — exact to the last ballot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ballots import paper, services
from ballots.models import Ballot
from results.tally import percent, result_compute
from sessions import services as session_services
from sessions.models import VotingSession
from sessions.regimes import REGIMES
from tests.factories import fill_session, make_session, open_session


def _cast_all(session, codes, ballots):
    """ballots: list of per-candidate levels in ballot order ("blank" for an empty line)."""
    candidates = list(session.candidates.filter(excluded=False).order_by("order"))
    for code, levels in zip(codes, ballots, strict=False):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(candidates, levels, strict=True)}
        )


@pytest.mark.parametrize(
    ("count", "n", "shown"),
    [
        (19, 47, "40.43"),
        (2, 47, "4.26"),
        (25, 47, "53.19"),
        (0, 47, "0.00"),
        (1, 8, "12.50"),
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 0, "0.00"),
        (1, 200, "0.50"),
        (1, 400, "0.25"),
        (1, 800, "0.13"),
    ],
)
def test_percentages_round_half_up_to_two_decimals(count, n, shown):
    assert percent(count, n) == Decimal(shown)


@pytest.mark.parametrize(
    ("low", "n", "band"),
    [
        (2, 3, "two_thirds"),  # exactly ⅔
        (200, 300, "two_thirds"),
        (321, 481, "two_thirds"),  # 963 ≥ 962
        (320, 481, "over_half"),  # 960 < 962 and 640 > 481
        (241, 481, "over_half"),
        (240, 481, None),  # 480 is not more than 481
        (5, 10, None),  # exactly half triggers nothing
        (6, 10, "over_half"),
        (7, 10, "two_thirds"),  # 21 ≥ 20
        (25, 47, "over_half"),
        (0, 0, None),
    ],
)
def test_bands_are_decided_with_integers(low, n, band):
    found = REGIMES["qd96"].band(procedure="rating", against=low, denominator=n)
    assert (found.code if found else None) == band


def test_a_vote_of_confidence_needs_strictly_more_than_half():
    regime = REGIMES["nq96"]
    assert regime.band(procedure="confidence", against=5, denominator=10) is None
    assert regime.band(procedure="confidence", against=6, denominator=10).code == (
        "no_confidence_majority"
    )


def test_the_domain_example_spoiled_line_stays_in_the_denominator(cast):
    """47 collected; a line reads 19 / 2 / 25 with one spoiled: 40,43% / 4,26% / 53,19%."""
    session = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=1, voters=47
    )
    codes = open_session(session, cast.secretariat, codes=47, activate=47)
    _cast_all(
        session,
        codes,
        [["high"]] * 19 + [["medium"]] * 2 + [["low"]] * 25 + [["blank"]],
    )
    services.session_close(actor=cast.secretariat, session=session)
    result = result_compute(session)
    line = result.candidates[0]
    assert (result.collected, result.denominator) == (47, 47)
    assert [(lr.count, str(lr.percent)) for lr in line.levels] == [
        (19, "40.43"),
        (2, "4.26"),
        (25, "53.19"),
    ]
    assert line.invalid == 1
    assert line.band_code == "over_half"


def test_nq85_divides_by_all_members_whatever_was_collected(cast):
    session = fill_session(
        make_session(cast.org, cast.secretariat, regime="nq85"),
        cast.secretariat,
        candidates=1,
        voters=10,
    )
    codes = open_session(session, cast.secretariat, codes=10, activate=6)
    _cast_all(session, codes, [["low"]] * 6)
    services.session_close(actor=cast.secretariat, session=session)
    result = result_compute(session)
    assert (result.collected, result.denominator) == (6, 10)
    assert str(result.candidates[0].levels[2].percent) == "60.00"
    assert result.candidates[0].band_code == "over_half"


def _paper_session(cast, *, double=False):
    session = fill_session(
        make_session(cast.org, cast.secretariat, mode="paper_ballots"),
        cast.secretariat,
        candidates=3,
        voters=6,
    )
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    for voter in session.voters.all():
        services.voter_check_in(voter=voter, present=True)
    services.session_open(actor=cast.secretariat, session=session)
    services.session_close(actor=cast.secretariat, session=session, confirm_empty=True)
    session.refresh_from_db()
    return session


BALLOTS = [
    ["high", "low", "blank"],
    ["high", "medium", "low"],
    ["medium", "low", "low"],
    ["low", "low", "high"],
    ["high", "blank", "low"],
]


def test_a_paper_session_and_an_electronic_one_with_the_same_ballots_agree(cast):
    electronic = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=3, voters=6
    )
    codes = open_session(electronic, cast.secretariat, codes=6, activate=6)
    _cast_all(electronic, codes, BALLOTS)
    services.session_close(actor=cast.secretariat, session=electronic)

    on_paper = _paper_session(cast)
    entry = paper.paper_entry_start(actor=cast.committee, session=on_paper)
    candidates = list(on_paper.candidates.order_by("order"))
    for levels in BALLOTS:
        paper.paper_ballot_add(
            actor=cast.committee,
            entry=entry,
            choices={c.pk: lv for c, lv in zip(candidates, levels, strict=True)},
        )
    paper.paper_entry_finish(actor=cast.committee, entry=entry)
    paper.count_sheet_save(actor=cast.committee, session=on_paper, present=6, issued=6)

    def table(result):
        return (
            result.collected,
            result.whole_invalid,
            [
                ([(lr.count, lr.percent) for lr in c.levels], c.invalid, c.band_code)
                for c in result.candidates
            ],
        )

    assert table(result_compute(on_paper)) == table(result_compute(electronic))


def test_a_whole_invalid_ballot_is_collected_but_counts_for_nobody(cast):
    session = _paper_session(cast)
    entry = paper.paper_entry_start(actor=cast.committee, session=session)
    candidates = list(session.candidates.order_by("order"))
    paper.paper_ballot_add(
        actor=cast.committee, entry=entry, choices={c.pk: "low" for c in candidates}
    )
    paper.paper_ballot_add(actor=cast.committee, entry=entry, choices={}, whole_invalid=True)
    paper.paper_entry_finish(actor=cast.committee, entry=entry)
    result = result_compute(session)
    assert (result.collected, result.whole_invalid, result.valid) == (2, 1, 1)
    first = result.candidates[0]
    assert [lr.count for lr in first.levels] == [0, 0, 1]
    assert str(first.levels[2].percent) == "50.00"  # over all collected, the invalid one too
    assert first.invalid == 0


def test_the_tally_takes_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    session = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=3, voters=20
    )
    codes = open_session(session, cast.secretariat, codes=20, activate=20)
    _cast_all(session, codes, [["high", "low", "medium"]] * 20)
    services.session_close(actor=cast.secretariat, session=session)
    with django_assert_max_num_queries(7):  # the people's ids, then their marks (no join)
        result_compute(session)
    assert Ballot.objects.filter(session=session).count() == 20


def test_every_regime_is_data_with_a_fact_for_each_band():
    for regime in REGIMES.values():
        assert regime.denominator in {"collected", "summoned"}
        assert str(regime.citation)
        for band in (*regime.rating_bands, *regime.confidence_bands):
            assert str(band.fact)
    assert VotingSession.Regime.values == sorted(REGIMES, key=VotingSession.Regime.values.index)
