"""Voter codes, ballots and marks.

Secrecy by structure: a code row knows its session and its state, never a person; a ballot row
knows its session, never a code, a voter, a user or a time; a mark knows its ballot and the
candidate. Nothing here has a date or time column, and at close the ballots and marks are
rewritten in random order (see services.session_close) so storage order says nothing either.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sessions.models import Candidate, VotingSession
from sessions.regimes import LEVEL_LABELS


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


class PaperEntry(models.Model):
    """One committee member's pass through the pile of paper ballots (A, or B when entered twice).

    It names who typed the pile, never who voted: paper ballots carry no voter.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Being entered")
        DONE = "done", _("Finished")

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="paper_entries",
    )
    label = models.CharField(_("entry"), max_length=1)
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=4, choices=State, default=State.OPEN)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(fields=["session", "label"], name="paper_entry_label_once"),
            models.CheckConstraint(condition=Q(label__in=["A", "B"]), name="paper_entry_label_ab"),
            models.CheckConstraint(
                condition=Q(state__in=["open", "done"]), name="paper_entry_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.label}"


# What a ballot form sends for a line left empty; stored as an invalid line (domain.md: a blank
# or spoiled line stays in the denominator).
BLANK = "blank"


def _insert(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """One INSERT of many rows, each value prepared by its field as the ORM would."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES {', '.join([row] * len(rows))}",
            [
                field.get_db_prep_save(value, connection)
                for values in rows
                for field, value in zip(fields, values, strict=True)
            ],
        )


class BallotManager(models.Manager):
    def store(
        self,
        *,
        session_id: int,
        choices: Mapping[int, str],
        entry: PaperEntry | None = None,
        whole_invalid: bool = False,
    ) -> Ballot:
        """One ballot and its marks (none if wholly invalid), in the caller's transaction.

        Two INSERT statements: every cast runs this, and the ORM's create and bulk_create (model
        instances, signals, field by field) cost more than the database did (issue 15).
        """
        ballot = self.model(session_id=session_id, entry=entry, whole_invalid=whole_invalid)
        _insert(
            self.model,
            ["id", "session", "entry", "whole_invalid"],
            [(ballot.id, session_id, entry.pk if entry else None, whole_invalid)],
        )
        ballot._state.adding = False
        ballot._state.db = connection.alias
        if not whole_invalid and choices:
            _insert(
                Mark,
                ["ballot", "candidate", "level"],
                [
                    (ballot.id, candidate_id, Mark.Level.INVALID if level == BLANK else level)
                    for candidate_id, level in choices.items()
                ],
            )
        return ballot


class Ballot(models.Model):
    """One voter's ballot. A random id, its session, and nothing else about anyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    # Paper ballots only: which pass through the pile it was typed in (None: electronic).
    entry = models.ForeignKey(
        PaperEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ballots",
    )
    # A paper ballot not issued by the committee (wrong form, no seal): collected, not valid.
    whole_invalid = models.BooleanField(_("whole ballot invalid"), default=False)

    objects = BallotManager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.id)


class Mark(models.Model):
    """What one ballot says about one candidate. Every candidate on the ballot has one mark."""

    class Level(models.TextChoices):
        # The labels are the ballot's own (sessions/regimes.py).
        HIGH = "high", LEVEL_LABELS["high"]
        MEDIUM = "medium", LEVEL_LABELS["medium"]
        LOW = "low", LEVEL_LABELS["low"]
        YES = "yes", LEVEL_LABELS["yes"]
        NO = "no", LEVEL_LABELS["no"]
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


class CountSheet(models.Model):
    """The committee's figures for a paper session, and the tally sheet's counts for "paper tally".

    Figures the system cannot know from paper: present (when nobody was checked in here), ballots
    issued, and for a tally sheet the ballots collected and whole-ballot invalid.
    """

    session = models.OneToOneField(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="count_sheet",
    )
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    collected = models.PositiveIntegerField(_("ballots collected"), null=True, blank=True)
    whole_invalid = models.PositiveIntegerField(_("whole ballots invalid"), null=True, blank=True)
    summoned = models.PositiveIntegerField(
        _("summoned"),
        null=True,
        blank=True,
        help_text=_("Only when there is no list of summoned voters (imported results)."),
    )
    explanation = models.CharField(
        _("explanation"),
        max_length=500,
        blank=True,
        help_text=_("Why more ballots were issued than people summoned, if so."),
    )

    class Meta:
        verbose_name = _("count sheet")
        verbose_name_plural = _("count sheets")
        constraints = [
            models.CheckConstraint(
                condition=Q(collected__isnull=True)
                | Q(issued__isnull=True)
                | Q(collected__lte=models.F("issued")),
                name="count_sheet_collected_le_issued",
            ),
            models.CheckConstraint(
                condition=Q(whole_invalid__isnull=True)
                | Q(collected__isnull=True)
                | Q(whole_invalid__lte=models.F("collected")),
                name="count_sheet_invalid_le_collected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}"


class TallyCount(models.Model):
    """A count from a tally sheet: how many ballots gave this candidate this level."""

    pk = models.CompositePrimaryKey("session_id", "candidate_id", "level")
    session = models.ForeignKey(VotingSession, on_delete=models.CASCADE, related_name="tally")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="tally")
    level = models.CharField(_("level"), max_length=7, choices=Mark.Level)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("tally count")
        verbose_name_plural = _("tally counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["high", "medium", "low", "yes", "no", "invalid"]),
                name="tally_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.level} × {self.count}"


class ClosingCount(models.Model):
    """How many ballots gave this person this level, counted once when electronic voting closed.

    An electronic session's ballots cannot change after close, so their marks (500,000 for
    10,000 ballots × 50 people) are counted in the close's own transaction, and the tally reads
    these few rows instead of counting them again on every results page, minutes draft and
    certification check (issue 15). Aggregates only, written after the last ballot: they say
    nothing that the results do not. Certification counts the marks again and refuses if the
    two differ (results/services.py).
    """

    pk = models.CompositePrimaryKey("session_id", "candidate_id", "level")
    session = models.ForeignKey(
        VotingSession, on_delete=models.CASCADE, related_name="closing_counts"
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=7, choices=Mark.Level)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("count at close")
        verbose_name_plural = _("counts at close")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["high", "medium", "low", "yes", "no", "invalid"]),
                name="closing_count_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.level} × {self.count}"


class GuessCount(models.Model):
    """Code checks in one fixed time window for one throttle bucket (a device or an address).

    Only what throttling needs: a keyed hash of the bucket, the window's number
    (seconds since the epoch // CODE_GUESS_WINDOW, never a finer time) and the count. A right
    code gives its check back, so a row counts wrong codes and checks still in flight; rows of
    past windows are deleted (see throttle.py).
    """

    pk = models.CompositePrimaryKey("bucket", "window")
    bucket = models.CharField(max_length=40)
    window = models.BigIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("wrong-code count")
        verbose_name_plural = _("wrong-code counts")

    def __str__(self) -> str:
        return f"{self.bucket[:12]}…@{self.window}: {self.count}"
