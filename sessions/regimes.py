"""The legal regimes and the two procedures as data: the one owner of every rule they decide.

A regime decides the denominator, whether the ⅔ quorum binds, the default publication scope,
whether a summoned count is needed, and the bands with what each means. A procedure decides
the boxes on the ballot and which of them counts "against". Every layer asks here, through
`session.rules` (a `Rules`) or `rules_for(regime, procedure)`; templates read the same
attributes (`session.rules.quorum_binding`…) instead of comparing regime codes.

Bands and the quorum are decided with integers only (domain.md): ">½" is 2·x > N, "<⅔" is
3·x < 2·N, "≥⅔" is 3·x ≥ 2·N, where x is the count of "tín nhiệm thấp" (or "không tín
nhiệm") and N the denominator. Never a rounded or floating-point percentage.

This module imports no model: it sits below sessions/models.py, which uses it.
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


# --- Procedures: the boxes on the ballot --------------------------------------------------------

LEVEL_LABELS: dict[str, Promise] = {
    "high": _("High confidence"),
    "medium": _("Confidence"),
    "low": _("Low"),
    "yes": _("Confidence"),
    "no": _("No confidence"),
}


@dataclass(frozen=True)
class Procedure:
    code: str
    level_values: tuple[str, ...]  # the boxes on the ballot, in printed order
    against: str  # the level the bands count
    vote_of_confidence: bool  # bỏ phiếu tín nhiệm (two boxes) rather than a rating

    @property
    def levels(self) -> list[tuple[str, Promise]]:
        """(value, label) of each box, in printed order."""
        return [(value, LEVEL_LABELS[value]) for value in self.level_values]


PROCEDURES = {
    "rating": Procedure("rating", ("high", "medium", "low"), "low", vote_of_confidence=False),
    "confidence": Procedure("confidence", ("yes", "no"), "no", vote_of_confidence=True),
}


# --- Regimes: denominator, quorum, scope and bands ----------------------------------------------


@dataclass(frozen=True)
class Band:
    code: str  # none | over_half | two_thirds | no_confidence_majority
    applies: Callable[[int, int], bool]
    consequence: Promise

    @property
    def name(self) -> Promise | str:
        return band_name(self.code)


# A band in words, by code, for the exports (the same code means the same range in every
# regime: the bands are tested in order, so "over_half" is always below two thirds).
BAND_NAMES: dict[str, Promise] = {
    "none": _("Not in a band"),
    "over_half": _("More than half and under two thirds low confidence"),
    "two_thirds": _("Two thirds or more low confidence"),
    "no_confidence_majority": _("More than half no confidence"),
}


def band_name(code: str) -> Promise | str:
    """A band's name in words (its code when unknown, e.g. one certified by a later version)."""
    return BAND_NAMES.get(code, code)


@dataclass(frozen=True)
class Regime:
    code: str
    denominator: str  # "collected" or "summoned"
    quorum_binding: bool  # voting cannot open without ⅔ present; elsewhere for information
    default_scope: str  # "public" or "internal" (VotingSession.Scope)
    organization_kind: str  # the kind of body an imported session's organization is created as
    rating_bands: tuple[Band, ...]  # tested in order; the first that applies wins
    confidence_bands: tuple[Band, ...]

    @property
    def over_summoned(self) -> bool:
        """Percentages are over everyone summoned (all members), not over ballots collected."""
        return self.denominator == "summoned"

    @property
    def needs_summoned(self) -> bool:
        """A session without a voter list must be given its summoned count: the denominator."""
        return self.over_summoned

    def bands(self, procedure: str) -> tuple[Band, ...]:
        if PROCEDURES[procedure].vote_of_confidence:
            return self.confidence_bands
        return self.rating_bands

    def band(self, *, procedure: str, against: int, denominator: int) -> Band | None:
        return next((b for b in self.bands(procedure) if b.applies(against, denominator)), None)


REGIMES = {
    "qd96": Regime(
        code="qd96",
        denominator="collected",
        quorum_binding=True,
        default_scope="internal",
        organization_kind="party",
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
        quorum_binding=False,
        default_scope="public",
        organization_kind="state",
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
        quorum_binding=False,
        default_scope="internal",
        organization_kind="state",
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


def default_scope(regime: str) -> str:
    """nq96 results are published to the public; the others stay internal (also when unknown)."""
    found = REGIMES.get(regime)
    return found.default_scope if found else "internal"


def needs_summoned(regime: str) -> bool:
    found = REGIMES.get(regime)
    return found is not None and found.needs_summoned


# --- A session's rules: its regime and its procedure together ----------------------------------


@dataclass(frozen=True)
class Rules:
    """Everything a session's regime and procedure decide, for Python and templates alike."""

    regime: Regime
    procedure: Procedure

    @property
    def denominator(self) -> str:
        return self.regime.denominator

    @property
    def over_summoned(self) -> bool:
        return self.regime.over_summoned

    @property
    def needs_summoned(self) -> bool:
        return self.regime.needs_summoned

    @property
    def quorum_binding(self) -> bool:
        return self.regime.quorum_binding

    @property
    def default_scope(self) -> str:
        return self.regime.default_scope

    @property
    def levels(self) -> list[tuple[str, Promise]]:
        return self.procedure.levels

    @property
    def level_values(self) -> list[str]:
        return list(self.procedure.level_values)

    @property
    def against(self) -> str:
        return self.procedure.against

    @property
    def vote_of_confidence(self) -> bool:
        return self.procedure.vote_of_confidence

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.regime.bands(self.procedure.code)

    def band(self, *, against: int, denominator: int) -> Band | None:
        """The first band that applies to `against` votes over `denominator`, if any."""
        return self.regime.band(
            procedure=self.procedure.code, against=against, denominator=denominator
        )

    def band_named(self, code: str) -> Band | None:
        return next((b for b in self.bands if b.code == code), None)


def rules_for(regime: str, procedure: str) -> Rules:
    """The rules of a regime and procedure by code (KeyError for an unknown code)."""
    return Rules(REGIMES[regime], PROCEDURES[procedure])
