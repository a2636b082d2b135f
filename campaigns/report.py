"""The consolidated report of a campaign: every official rated across the bodies taking part.

Only certified sessions count, read through `results.frozen.session_result`, which serves the
frozen record after checking its SHA-256 (the results page and the overview read it the same
way): the figures here are the certified ones, never a recomputation. A body whose session is
not certified yet is listed as missing; one whose certified record fails its check is listed
apart (logged by results.frozen) and contributes no figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from results.frozen import AlteredRecord, session_result
from results.tally import CandidateResult
from sessions.models import Organization, VotingSession
from sessions.regimes import band_name, rules_for

from .models import Campaign
from .selectors import BodyRow, body_rows


@dataclass(frozen=True)
class ReportLine:
    organization: Organization
    session: VotingSession
    line: CandidateResult
    denominator: int

    @property
    def band_code(self) -> str:
        return self.line.band_code


@dataclass(frozen=True)
class BandCount:
    code: str
    name: Any
    count: int


@dataclass
class Report:
    campaign: Campaign
    levels: list[tuple[str, Any]]
    lines: list[ReportLine] = field(default_factory=list)
    certified: list[BodyRow] = field(default_factory=list)
    missing: list[BodyRow] = field(default_factory=list)
    altered: list[BodyRow] = field(default_factory=list)
    # Certified under another year, legal basis or procedure than the campaign's (the draft was
    # changed after it was created from the campaign): listed, never mixed into the figures.
    mismatched: list[BodyRow] = field(default_factory=list)

    @property
    def follow_up(self) -> list[ReportLine]:
        """Everyone in a band: the band says what follows (sessions/regimes.py)."""
        return [line for line in self.lines if line.line.band]

    @property
    def band_counts(self) -> list[BandCount]:
        """How many people in each band of the campaign's regime, then those in no band."""
        counts = Counter(line.band_code for line in self.lines)
        codes = [
            band.code for band in rules_for(self.campaign.regime, self.campaign.procedure).bands
        ]
        # A code certified by another version of the rules still gets its own row.
        codes += sorted(code for code in counts if code not in codes and code != "none")
        return [BandCount(code, band_name(code), counts[code]) for code in [*codes, "none"]]


def matches(campaign: Campaign, session: VotingSession) -> bool:
    return (session.date.year, session.regime, session.procedure) == (
        campaign.year,
        campaign.regime,
        campaign.procedure,
    )


def campaign_report(campaign: Campaign) -> Report:
    rules = rules_for(campaign.regime, campaign.procedure)
    report = Report(campaign, rules.levels)
    for row in body_rows(campaign):
        if not row.is_certified:
            report.missing.append(row)
            continue
        if not matches(campaign, row.session):
            report.mismatched.append(row)
            continue
        try:
            result = session_result(row.session)
        except AlteredRecord:
            report.altered.append(row)
            continue
        report.certified.append(row)
        report.lines += [
            ReportLine(row.organization, row.session, line, result.denominator)
            for line in result.candidates
        ]
    return report
