"""The two procedures as data: the boxes on the ballot and which of them counts "against".

Lấy phiếu tín nhiệm (a rating: three boxes) and bỏ phiếu tín nhiệm (a vote of confidence: two
boxes), domain.md "The two procedures". Re-exported by `sessions.regimes`, which callers ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
