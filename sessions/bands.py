"""Bands as integer arithmetic, and the words that state them (below `regimes`, which uses them).

">½" is 2·x > N, "<⅔" is 3·x < 2·N, "≥⅔" is 3·x ≥ 2·N, ">⅔" is 3·x > 2·N, where x is the
count of "tín nhiệm thấp" (or "không tín nhiệm") and N the denominator. Never a rounded or
floating-point percentage (domain.md, "The bands, with integer arithmetic only").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def over_half(x: int, n: int) -> bool:
    return 2 * x > n


def below_two_thirds(x: int, n: int) -> bool:
    return 3 * x < 2 * n


def two_thirds_or_more(x: int, n: int) -> bool:
    return n > 0 and 3 * x >= 2 * n


def quorum_met(*, present: int, summoned: int) -> bool:
    """At least ⅔ of those summoned are present: 3 × present ≥ 2 × summoned."""
    return summoned > 0 and 3 * present >= 2 * summoned


def quorum_needed(summoned: int) -> int:
    """The smallest number present that meets the quorum: the least n with 3n ≥ 2 × summoned."""
    return (2 * summoned + 2) // 3


@dataclass(frozen=True)
class Band:
    """A band of a regime: when it applies, the fact the minutes state, and what follows.

    `fact` is the band said as a fact ("có trên một nửa đến dưới hai phần ba tổng số phiếu đánh
    giá tín nhiệm thấp"): the minutes print only that (domain.md, "Where consequences are
    printed"). `consequence` is what follows, for the report, the resolution and the results
    page; empty where no legal text we can cite says what follows.

    `follow_up`: a person in this band is put to a vote of confidence (bỏ phiếu tín nhiệm)
    unless they resign; the results page offers to prepare that session (results/follow_up.py).
    """

    code: str  # none | over_half | two_thirds | over_two_thirds | no_confidence_majority
    applies: Callable[[int, int], bool]
    fact: Promise
    consequence: Promise | str = ""
    follow_up: bool = False

    @property
    def name(self) -> Promise | str:
        return band_name(self.code)


def over_two_thirds(x: int, n: int) -> bool:
    """Strictly more than two thirds: 3·x > 2·N (NQ 35/2012/QH13)."""
    return n > 0 and 3 * x > 2 * n


# A band in words, by code, for the exports (the same code means the same range in every
# regime: the bands are tested in order, so "over_half" is always below the higher band).
BAND_NAMES: dict[str, Promise] = {
    "none": _("Not in a band"),
    "over_half": _("More than half and under two thirds low confidence"),
    "two_thirds": _("Two thirds or more low confidence"),
    "over_two_thirds": _("More than two thirds low confidence"),
    "no_confidence_majority": _("More than half no confidence"),
}


def band_name(code: str) -> Promise | str:
    """A band's name in words (its code when unknown, e.g. one certified by a later version)."""
    return BAND_NAMES.get(code, code)


def over_half_under_two_thirds(x: int, n: int) -> bool:
    return over_half(x, n) and below_two_thirds(x, n)


# The facts, said over ballots collected (qd96, nq96) or over all members (nq85, nq35). The
# over-half wording is domain.md's own; the others follow NQ 96/2023/QH15 Điều 12 khoản 1–2
# and NQ 85/2014/QH13 Điều 12 ("tổng số đại biểu"), which say the bands in these words.
FACT_OVER_HALF_OF_BALLOTS = _(
    "received low confidence on more than half and less than two thirds of all ballots"
)
FACT_TWO_THIRDS_OF_BALLOTS = _("received low confidence on two thirds or more of all ballots")
FACT_NO_CONFIDENCE_OF_BALLOTS = _("received no confidence on more than half of all ballots")
FACT_OVER_HALF_OF_MEMBERS = _("was rated low confidence by more than half of all members")
FACT_TWO_THIRDS_OF_MEMBERS = _("was rated low confidence by two thirds or more of all members")
FACT_OVER_TWO_THIRDS_OF_MEMBERS = _(
    "was rated low confidence by more than two thirds of all members"
)
FACT_NO_CONFIDENCE_OF_MEMBERS = _("was voted no confidence by more than half of all members")
