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

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .bands import (
    BAND_NAMES,
    FACT_NO_CONFIDENCE_OF_BALLOTS,
    FACT_NO_CONFIDENCE_OF_MEMBERS,
    FACT_OVER_HALF_OF_BALLOTS,
    FACT_OVER_HALF_OF_MEMBERS,
    FACT_OVER_TWO_THIRDS_OF_MEMBERS,
    FACT_TWO_THIRDS_OF_BALLOTS,
    FACT_TWO_THIRDS_OF_MEMBERS,
    Band,
    band_name,
    below_two_thirds,
    over_half,
    over_half_under_two_thirds,
    over_two_thirds,
    quorum_met,
    quorum_needed,
    two_thirds_or_more,
)
from .procedures import LEVEL_LABELS, PROCEDURES, Procedure

# Re-exported: callers ask `sessions.regimes` for every rule.
__all__ = [
    "BAND_NAMES",
    "LEVEL_LABELS",
    "PROCEDURES",
    "REGIMES",
    "Band",
    "Procedure",
    "Regime",
    "Rules",
    "band_name",
    "below_two_thirds",
    "default_scope",
    "needs_summoned",
    "over_half",
    "over_two_thirds",
    "quorum_met",
    "quorum_needed",
    "rules_for",
    "two_thirds_or_more",
]


# --- Regimes: denominator, quorum, scope and bands ----------------------------------------------


@dataclass(frozen=True)
class Regime:
    code: str
    denominator: str  # "collected" or "summoned"
    quorum_binding: bool  # voting cannot open without ⅔ present; elsewhere for information
    default_scope: str  # "public" or "internal" (VotingSession.Scope)
    organization_kind: str  # the kind of body an imported session's organization is created as
    rating_bands: tuple[Band, ...]  # tested in order; the first that applies wins
    confidence_bands: tuple[Band, ...]
    citation: Promise  # the legal basis in full: number, date, issuer, title (the minutes)
    # The document that follows the count (domain.md, "Documents after the count"): "report",
    # the report to the managing authority (qd96); "resolution", the resolution confirming the
    # result, adopted by the People's Council or the National Assembly (nq96); "" for none.
    after_count: str = ""
    # The multi-year rule: the rating bands that, in the ratings of two years in a row, call
    # for a vote of confidence (NQ 35/2012/QH13: more than half low two years in a row).
    repeat_bands: tuple[str, ...] = ()

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
    # Quy định 96-QĐ/TW, Điều 11 (quoted in seed-article-vi.txt): the two bands and what the
    # managing authority does. For a vote of confidence QĐ 96 only says it follows the rules in
    # force: domain.md gives "cấp có thẩm quyền xem xét, quyết định theo quy định".
    "qd96": Regime(
        code="qd96",
        denominator="collected",
        quorum_binding=True,
        default_scope="internal",
        organization_kind="party",
        after_count="report",
        citation=_(
            "Regulation No. 96-QĐ/TW of 2 February 2023 of the Politburo on confidence ratings "
            "of leadership and management positions in the political system"
        ),
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                FACT_TWO_THIRDS_OF_BALLOTS,
                _(
                    "The authority managing the official dismisses them from the post they hold "
                    "and assigns them other (lower) work, without waiting for the end of the "
                    "term or of the appointment."
                ),
            ),
            Band(
                "over_half",
                over_half_under_two_thirds,
                FACT_OVER_HALF_OF_BALLOTS,
                _(
                    "The authority managing the official takes them out of the succession plan "
                    "for higher posts and considers relieving them of the post they hold, "
                    "assigning them other work or letting them resign, or holds a vote of "
                    "confidence as the rules provide, without waiting for the end of the term "
                    "or of the appointment."
                ),
                follow_up=True,  # QĐ 96 Điều 11: a vote of confidence is one of the options
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                FACT_NO_CONFIDENCE_OF_BALLOTS,
                _("The competent authority considers and decides as the rules provide."),
            ),
        ),
    ),
    # Nghị quyết 96/2023/QH15, Điều 12 khoản 1 and 2 (rating) and the vote of confidence that
    # follows (domain.md, "What each band means").
    "nq96": Regime(
        code="nq96",
        denominator="collected",
        quorum_binding=False,
        default_scope="public",
        organization_kind="state",
        after_count="resolution",
        citation=_(
            "Resolution No. 96/2023/QH15 of 23 June 2023 of the National Assembly on confidence "
            "ratings and votes of confidence on persons holding positions elected or approved "
            "by the National Assembly or a People's Council"
        ),
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                FACT_TWO_THIRDS_OF_BALLOTS,
                _(
                    "The body or person who proposed them for election or approval submits "
                    "their dismissal, or the approval of the proposal to dismiss them, at this "
                    "sitting or the nearest one."
                ),
            ),
            Band(
                "over_half",
                over_half_under_two_thirds,
                FACT_OVER_HALF_OF_BALLOTS,
                _(
                    "The person may resign; if they do not, the body or person who proposed "
                    "them for election or approval submits a vote of confidence at this sitting "
                    "or the nearest one."
                ),
                follow_up=True,  # NQ 96/2023 Điều 12 khoản 1: if the person does not resign
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                FACT_NO_CONFIDENCE_OF_BALLOTS,
                _(
                    "The body or person who proposed them for election or approval submits "
                    "their dismissal, or the approval of the proposal to dismiss them."
                ),
            ),
        ),
    ),
    # Nghị quyết 85/2014/QH13 (repealed 1 July 2023), Điều 12 (rating) and Điều 13 (vote of
    # confidence), as domain.md gives them.
    "nq85": Regime(
        code="nq85",
        denominator="summoned",
        quorum_binding=False,
        default_scope="internal",
        organization_kind="state",
        citation=_(
            "Resolution No. 85/2014/QH13 of 28 November 2014 of the National Assembly on "
            "confidence ratings and votes of confidence on persons holding positions elected or "
            "approved by the National Assembly or a People's Council"
        ),
        rating_bands=(
            Band(
                "two_thirds",
                two_thirds_or_more,
                FACT_TWO_THIRDS_OF_MEMBERS,
                _(
                    "A vote of confidence is submitted, as the basis for dismissal, at this "
                    "sitting or the nearest one."
                ),
                follow_up=True,  # NQ 85/2014 Điều 12: two thirds or more low
            ),
            Band(
                "over_half",
                over_half,
                FACT_OVER_HALF_OF_MEMBERS,
                _("The person may resign."),
            ),
        ),
        confidence_bands=(
            Band(
                "no_confidence_majority",
                over_half,
                FACT_NO_CONFIDENCE_OF_MEMBERS,
                _("The person may resign; if they do not, their dismissal is submitted."),
            ),
        ),
    ),
    # Nghị quyết 35/2012/QH13 (the 2013 and 2014 annual ratings), Điều 11 as domain.md gives
    # it: a vote of confidence when strictly more than two thirds rated low, or more than half
    # two years in a row. domain.md names no consequence of its vote of confidence: none here.
    "nq35": Regime(
        code="nq35",
        denominator="summoned",
        quorum_binding=False,
        default_scope="internal",
        organization_kind="state",
        repeat_bands=("over_two_thirds", "over_half"),  # both are "more than half low"
        citation=_(
            "Resolution No. 35/2012/QH13 of 21 November 2012 of the National Assembly on "
            "confidence ratings and votes of confidence on persons holding positions elected or "
            "approved by the National Assembly or a People's Council"
        ),
        rating_bands=(
            Band(
                "over_two_thirds",
                over_two_thirds,
                FACT_OVER_TWO_THIRDS_OF_MEMBERS,
                _("A vote of confidence is held."),
                follow_up=True,  # NQ 35/2012 Điều 11: strictly more than two thirds low
            ),
            Band(
                "over_half",
                over_half,
                FACT_OVER_HALF_OF_MEMBERS,
                _(
                    "A vote of confidence is held if more than half rate the person low "
                    "confidence two years in a row."
                ),
            ),
        ),
        confidence_bands=(
            Band("no_confidence_majority", over_half, FACT_NO_CONFIDENCE_OF_MEMBERS),
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

    @property
    def citation(self) -> Promise:
        return self.regime.citation

    @property
    def reports_to_authority(self) -> bool:
        """A report of the results goes to the authority managing the officials (qd96)."""
        return self.regime.after_count == "report"

    @property
    def confirmed_by_resolution(self) -> bool:
        """A resolution confirms the results; until it is adopted they are the committee's
        count (nq96: domain.md, "Publication")."""
        return self.regime.after_count == "resolution"

    def band(self, *, against: int, denominator: int) -> Band | None:
        """The first band that applies to `against` votes over `denominator`, if any."""
        return self.regime.band(
            procedure=self.procedure.code, against=against, denominator=denominator
        )

    def band_named(self, code: str) -> Band | None:
        return next((b for b in self.bands if b.code == code), None)

    def calls_for_follow_up(self, code: str) -> bool:
        """A person in this band (by code) is put to a vote of confidence unless they resign."""
        band = self.band_named(code)
        return band is not None and band.follow_up

    def repeat_band(self, code: str) -> bool:
        """The band counts towards the multi-year rule (the regime's `repeat_bands`)."""
        return not self.vote_of_confidence and code in self.regime.repeat_bands


def rules_for(regime: str, procedure: str) -> Rules:
    """The rules of a regime and procedure by code (KeyError for an unknown code)."""
    return Rules(REGIMES[regime], PROCEDURES[procedure])
