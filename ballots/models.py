"""Voter codes, ballots and marks.

Secrecy by structure: a code row knows its session and its state, never a person; a ballot row
knows its session, never a code, a voter, a user or a time; a mark knows its ballot and the
candidate. Nothing here has a date or time column, and at close the ballots and marks are
rewritten in random order (see services.session_close) so storage order says nothing either.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sessions.models import Candidate, VotingSession


class VoterCode(models.Model):
    class State(models.TextChoices):
        INERT = "inert", _("Printed, not handed out")
        ACTIVE = "active", _("Handed out")
        USED = "used", _("Used")
        UNUSED = "unused", _("Handed out, not used before close")
        VOID = "void", _("Void")

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="voter_codes",
    )
    # HMAC-SHA256 of the normalized code under the server's code key; the code itself is never
    # stored. A keyed hash, not a password hash: a full hall must log in in seconds, and guessing
    # is stopped by throttling instead.
    code_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=6, choices=State, default=State.INERT)
    # Which freezing of the session the code was printed for (VotingSession.ready_count).
    epoch = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("voter code")
        verbose_name_plural = _("voter codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["inert", "active", "used", "unused", "void"]),
                name="voter_code_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["session", "state"], name="voter_code_session_state")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.code_hash[:8]}… ({self.state})"


class Ballot(models.Model):
    """One voter's ballot. A random id, its session, and nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.id)


class Mark(models.Model):
    """What one ballot says about one candidate. Every candidate on the ballot has one mark."""

    class Level(models.TextChoices):
        HIGH = "high", _("High confidence")
        MEDIUM = "medium", _("Confidence")
        LOW = "low", _("Low")
        YES = "yes", _("Confidence")
        NO = "no", _("No confidence")
        # A line left blank, marked twice or struck: void for this person only.
        INVALID = "invalid", _("Invalid line")

    # No surrogate id: an autoincrement would number marks in cast order.
    pk = models.CompositePrimaryKey("ballot_id", "candidate_id")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="marks")
    level = models.CharField(_("level"), max_length=7, choices=Level)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["high", "medium", "low", "yes", "no", "invalid"]),
                name="mark_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.level}"
