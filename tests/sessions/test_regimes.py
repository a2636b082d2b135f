"""Every rule a regime or a procedure decides, pinned per regime (sessions/regimes.py)."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from sessions.models import VotingSession
from sessions.regimes import (
    PROCEDURES,
    REGIMES,
    default_scope,
    needs_summoned,
    quorum_met,
    quorum_needed,
    rules_for,
)


@pytest.mark.parametrize(
    ("regime", "denominator", "quorum_binding", "scope", "summoned_needed", "kind"),
    [
        ("qd96", "collected", True, "internal", False, "party"),
        ("nq96", "collected", False, "public", False, "state"),
        ("nq85", "summoned", False, "internal", True, "state"),
    ],
)
def test_each_regime_decides_its_denominator_quorum_scope_and_summoned_count(
    regime, denominator, quorum_binding, scope, summoned_needed, kind
):
    rules = REGIMES[regime]
    assert rules.denominator == denominator
    assert rules.over_summoned is (denominator == "summoned")
    assert rules.quorum_binding is quorum_binding
    assert rules.default_scope == scope == default_scope(regime)
    assert rules.needs_summoned is summoned_needed is needs_summoned(regime)
    assert rules.organization_kind == kind


def test_an_unknown_regime_stays_internal_and_needs_no_summoned_count():
    assert default_scope("") == VotingSession.Scope.INTERNAL
    assert not needs_summoned("")


def test_the_scopes_and_kinds_are_model_choices():
    for regime in REGIMES.values():
        assert regime.default_scope in VotingSession.Scope.values
        assert regime.organization_kind in {"party", "state", "mass"}


@pytest.mark.parametrize(
    ("present", "summoned", "met"),
    [(0, 0, False), (2, 3, True), (1, 3, False), (32, 47, True), (31, 47, False), (3, 3, True)],
)
def test_the_quorum_is_two_thirds_of_those_summoned_in_integers(present, summoned, met):
    assert quorum_met(present=present, summoned=summoned) is met


@pytest.mark.parametrize(("summoned", "needed"), [(0, 0), (1, 1), (3, 2), (4, 3), (47, 32)])
def test_the_quorum_needs_the_fewest_present_that_meet_it(summoned, needed):
    assert quorum_needed(summoned) == needed
    assert summoned == 0 or quorum_met(present=needed, summoned=summoned)
    assert needed == 0 or not quorum_met(present=needed - 1, summoned=summoned)


@pytest.mark.parametrize(
    ("procedure", "levels", "against", "vote"),
    [
        (
            "rating",
            [("high", "High confidence"), ("medium", "Confidence"), ("low", "Low")],
            "low",
            False,
        ),
        ("confidence", [("yes", "Confidence"), ("no", "No confidence")], "no", True),
    ],
)
def test_each_procedure_decides_the_boxes_and_the_level_counted_against(
    procedure, levels, against, vote
):
    rules = PROCEDURES[procedure]
    with override("en"):
        assert [(value, str(label)) for value, label in rules.levels] == levels
    assert rules.against == against
    assert rules.against in rules.level_values
    assert rules.vote_of_confidence is vote


def test_the_ballot_levels_and_the_mark_labels_are_the_same():
    from ballots.models import Mark

    for procedure in PROCEDURES.values():
        for value, label in procedure.levels:
            assert Mark.Level(value).label == label


@pytest.mark.parametrize(
    ("regime", "procedure", "bands"),
    [
        ("qd96", "rating", ["two_thirds", "over_half"]),
        ("qd96", "confidence", ["no_confidence_majority"]),
        ("nq96", "rating", ["two_thirds", "over_half"]),
        ("nq96", "confidence", ["no_confidence_majority"]),
        ("nq85", "rating", ["two_thirds", "over_half"]),
        ("nq85", "confidence", ["no_confidence_majority"]),
    ],
)
def test_each_regime_and_procedure_has_its_bands_with_a_consequence(regime, procedure, bands):
    rules = rules_for(regime, procedure)
    assert [band.code for band in rules.bands] == bands
    assert all(str(band.consequence) for band in rules.bands)
    assert rules.band_named(bands[0]) is rules.bands[0]
    assert rules.band_named("none") is None


@pytest.mark.parametrize(
    ("regime", "against", "n", "band"),
    [
        # qd96 and nq96: over half means under two thirds too; nq85 only says "over half".
        ("qd96", 6, 10, "over_half"),
        ("qd96", 7, 10, "two_thirds"),
        ("qd96", 5, 10, None),
        ("nq96", 2, 3, "two_thirds"),
        ("nq96", 241, 481, "over_half"),
        ("nq85", 6, 10, "over_half"),
        ("nq85", 7, 10, "two_thirds"),
        ("nq85", 25, 50, None),
        ("nq85", 0, 0, None),
    ],
)
def test_a_rating_band_is_decided_in_integers(regime, against, n, band):
    found = rules_for(regime, "rating").band(against=against, denominator=n)
    assert (found.code if found else None) == band


@pytest.mark.parametrize("regime", list(REGIMES))
def test_a_vote_of_confidence_needs_strictly_more_than_half(regime):
    rules = rules_for(regime, "confidence")
    assert rules.band(against=5, denominator=10) is None
    assert rules.band(against=6, denominator=10).code == "no_confidence_majority"
    assert rules.band(against=10, denominator=10).code == "no_confidence_majority"


# The exact Vietnamese a document prints for each band, by regime (domain.md "What each band
# means"; QĐ 96-QĐ/TW Điều 11 as quoted in seed-article-vi.txt; NQ 96/2023/QH15 Điều 12;
# NQ 85/2014/QH13 Điều 12–13; NQ 35/2012/QH13 Điều 11).
SOURCED_CONSEQUENCES = {
    ("qd96", "over_half"): (
        "Cấp có thẩm quyền quản lý cán bộ đưa ra khỏi quy hoạch các chức vụ cao hơn; xem xét cho "
        "thôi giữ chức vụ đang đảm nhiệm, bố trí công tác khác hoặc cho từ chức, hoặc tiến hành "
        "bỏ phiếu tín nhiệm theo quy định, mà không chờ đến hết nhiệm kỳ, hết thời hạn bổ nhiệm."
    ),
    ("qd96", "two_thirds"): (
        "Cấp có thẩm quyền quản lý cán bộ thực hiện miễn nhiệm chức vụ đang đảm nhiệm và bố trí "
        "công tác khác (thấp hơn) mà không chờ đến hết nhiệm kỳ, hết thời hạn bổ nhiệm."
    ),
    ("qd96", "no_confidence_majority"): "Cấp có thẩm quyền xem xét, quyết định theo quy định.",
    ("nq96", "over_half"): (
        "Người được lấy phiếu tín nhiệm có thể xin từ chức; trường hợp không xin từ chức thì cơ "
        "quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình bỏ phiếu "
        "tín nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
    ),
    ("nq96", "two_thirds"): (
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình miễn "
        "nhiệm hoặc phê chuẩn đề nghị miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
    ),
    ("nq96", "no_confidence_majority"): (
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình miễn "
        "nhiệm hoặc phê chuẩn đề nghị miễn nhiệm."
    ),
    ("nq85", "over_half"): "Người được lấy phiếu tín nhiệm có thể xin từ chức.",
    ("nq85", "two_thirds"): (
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình bỏ "
        "phiếu tín nhiệm làm cơ sở để miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
    ),
    ("nq85", "no_confidence_majority"): (
        "Người được bỏ phiếu tín nhiệm có thể xin từ chức; trường hợp không xin từ chức thì cơ "
        "quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình miễn nhiệm."
    ),
    ("nq35", "over_two_thirds"): (
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để bầu hoặc phê chuẩn trình bỏ "
        "phiếu tín nhiệm."
    ),
    ("nq35", "over_half"): (
        "Trường hợp có quá nửa tổng số đại biểu đánh giá tín nhiệm thấp hai năm liên tiếp thì "
        "tiến hành bỏ phiếu tín nhiệm."
    ),
    ("nq35", "no_confidence_majority"): "",
}

SOURCED_FACTS = {
    ("qd96", "over_half"): (
        "có trên một nửa đến dưới hai phần ba tổng số phiếu đánh giá tín nhiệm thấp"
    ),
    ("qd96", "two_thirds"): "có từ hai phần ba tổng số phiếu trở lên đánh giá tín nhiệm thấp",
    ("nq96", "no_confidence_majority"): "có quá nửa tổng số phiếu đánh giá không tín nhiệm",
    ("nq85", "over_half"): "có quá nửa tổng số đại biểu đánh giá tín nhiệm thấp",
    ("nq85", "two_thirds"): "có từ hai phần ba tổng số đại biểu trở lên đánh giá tín nhiệm thấp",
    ("nq35", "over_two_thirds"): "có trên hai phần ba tổng số đại biểu đánh giá tín nhiệm thấp",
}


def _texts(attribute: str) -> dict[tuple[str, str], str]:
    with override("vi"):
        return {
            (regime, band.code): str(getattr(band, attribute))
            for regime, rules in REGIMES.items()
            for band in (*rules.rating_bands, *rules.confidence_bands)
        }


def test_each_band_of_each_regime_prints_its_sourced_consequence_word_for_word():
    assert _texts("consequence") == SOURCED_CONSEQUENCES


def test_the_minutes_state_each_band_as_a_fact_in_the_sourced_words():
    facts = _texts("fact")
    for key, text in SOURCED_FACTS.items():
        assert facts[key] == text


def test_qd96_says_mien_nhiem_at_two_thirds_and_never_dieu_dong():
    texts = _texts("consequence")
    assert "miễn nhiệm" in texts[("qd96", "two_thirds")]
    assert "cho thôi giữ chức vụ" not in texts[("qd96", "two_thirds")]
    assert "bố trí công tác khác" in texts[("qd96", "over_half")]
    assert all("điều động" not in text for text in texts.values())


def test_nq85_vote_of_confidence_lets_the_person_resign_first():
    assert "có thể xin từ chức" in _texts("consequence")[("nq85", "no_confidence_majority")]


def test_nq35_calls_a_vote_only_strictly_above_two_thirds_over_all_members():
    rules = rules_for("nq35", "rating")
    assert rules.over_summoned
    assert rules.band(against=200, denominator=300).code == "over_half"  # exactly ⅔: not above
    assert rules.band(against=201, denominator=300).code == "over_two_thirds"
    assert rules.band(against=150, denominator=300) is None  # exactly half


def test_every_regime_cites_its_text_in_full():
    with override("vi"):
        citations = {code: str(regime.citation) for code, regime in REGIMES.items()}
    assert citations["qd96"].startswith("Quy định số 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị")
    assert citations["nq96"].startswith("Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội")
    assert citations["nq85"].startswith("Nghị quyết số 85/2014/QH13 ngày 28/11/2014")
    assert citations["nq35"].startswith("Nghị quyết số 35/2012/QH13 ngày 21/11/2012")


def test_a_session_reaches_its_rules():
    session = VotingSession(regime="nq85", procedure="confidence")
    assert session.rules == rules_for("nq85", "confidence")
    assert session.rules.over_summoned and session.rules.vote_of_confidence
    assert session.levels() == PROCEDURES["confidence"].levels


def test_every_model_choice_has_rules():
    assert sorted(REGIMES) == sorted(VotingSession.Regime.values)
    assert sorted(PROCEDURES) == sorted(VotingSession.Procedure.values)
