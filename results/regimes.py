"""The legal regimes as data: the denominator, the bands and what each band means.

Bands are decided with integers only (domain.md): ">½" is 2·x > N, "<⅔" is 3·x < 2·N, "≥⅔" is
3·x ≥ 2·N, where x is the count of "tín nhiệm thấp" (or "không tín nhiệm") and N the
denominator. Never a rounded or floating-point percentage.
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


@dataclass(frozen=True)
class Band:
    code: str  # none | over_half | two_thirds | no_confidence_majority
    applies: Callable[[int, int], bool]
    consequence: Promise


@dataclass(frozen=True)
class Regime:
    code: str
    denominator: str  # "collected" or "summoned"
    rating_bands: tuple[Band, ...]  # tested in order; the first that applies wins
    confidence_bands: tuple[Band, ...]

    def band(self, *, procedure: str, against: int, denominator: int) -> Band | None:
        bands = self.confidence_bands if procedure == "confidence" else self.rating_bands
        return next((b for b in bands if b.applies(against, denominator)), None)


REGIMES = {
    "qd96": Regime(
        code="qd96",
        denominator="collected",
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                _(
                    "Two thirds or more low confidence: the managing authority dismisses the "
                    "person from the post and reassigns them to lower work, without waiting for "
                    "the end of the term or appointment."
                ),
            ),
            Band(
                "over_half",
                lambda x, n: over_half(x, n) and below_two_thirds(x, n),
                _(
                    "More than half and under two thirds low confidence: the managing authority "
                    "removes the person from the succession plan for higher posts and considers "
                    "relieving them of the post, reassignment, resignation or a vote of "
                    "confidence."
                ),
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                _(
                    "More than half no confidence: the competent authority relieves the person "
                    "of the post."
                ),
            ),
        ),
    ),
    "nq96": Regime(
        code="nq96",
        denominator="collected",
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                _(
                    "Two thirds or more low confidence: the nominating body must submit the "
                    "dismissal (or approval of dismissal) at this sitting or the next."
                ),
            ),
            Band(
                "over_half",
                lambda x, n: over_half(x, n) and below_two_thirds(x, n),
                _(
                    "More than half and under two thirds low confidence: the person may resign; "
                    "if not, a vote of confidence is held at this sitting or the next."
                ),
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                _("More than half no confidence: the nominating body must submit dismissal."),
            ),
        ),
    ),
    "nq85": Regime(
        code="nq85",
        denominator="summoned",
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                _("Two thirds or more low confidence: a vote of confidence is held."),
            ),
            Band(
                "over_half",
                over_half,
                _("More than half low confidence: the person may resign."),
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                _("More than half no confidence: the nominating body must submit dismissal."),
            ),
        ),
    ),
}
