"""Voting sessions and who takes part in them: candidates, summoned voters, the committee.

Nothing here may later be joined to a ballot: summoned voters carry a name, a unit and a
present flag, and no time, code or order of arrival.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..regimes import Rules, rules_for
from .registry import Official, Organization


def new_public_id() -> str:
    """A URL-safe random id for links that should not reveal how many sessions exist.

    Never starting with "-": `manage.py results <id>` would read such an id as an option.
    """
    while True:
        public_id = secrets.token_urlsafe(9)
        if not public_id.startswith("-"):
            return public_id


class VotingSession(models.Model):
    class Regime(models.TextChoices):
        QD96 = "qd96", _("Regulation 96-QĐ/TW (Party and political system)")
        NQ96 = "nq96", _("Resolution 96/2023/QH15 (National Assembly, People's Councils)")
        NQ85 = "nq85", _("Resolution 85/2014/QH13 (legacy, repealed 1 July 2023)")
        NQ35 = "nq35", _("Resolution 35/2012/QH13 (legacy, the 2013 and 2014 annual ratings)")

    class Procedure(models.TextChoices):
        RATING = "rating", _("Confidence rating (lấy phiếu tín nhiệm)")
        CONFIDENCE = "confidence", _("Vote of confidence (bỏ phiếu tín nhiệm)")

    class Mode(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic voting on site")
        PAPER_BALLOTS = "paper_ballots", _("Paper ballots entered one by one")
        PAPER_TALLY = "paper_tally", _("Paper ballots, tally sheet entered")

    class Scope(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        PUBLIC = "public", _("Public")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Voting closed")
        CERTIFIED = "certified", _("Certified")
        PUBLISHED = "published", _("Published")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("e.g. 'Hội nghị lấy phiếu tín nhiệm đối với Chủ tịch, Phó Chủ tịch Hội'."),
    )
    subject = models.CharField(
        _("rated positions"),
        max_length=300,
        blank=True,
        help_text=_(
            "Completes 'Lấy phiếu tín nhiệm đối với …' on the ballot and the minutes, "
            "e.g. 'các chức danh lãnh đạo Hội Cựu chiến binh tỉnh'."
        ),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    regime = models.CharField(_("legal basis"), max_length=4, choices=Regime)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure, default=Procedure.RATING
    )
    mode = models.CharField(_("voting mode"), max_length=13, choices=Mode, default=Mode.ELECTRONIC)
    scope = models.CharField(_("publication scope"), max_length=8, choices=Scope)
    status = models.CharField(_("status"), max_length=9, choices=Status, default=Status.DRAFT)
    ready_count = models.PositiveIntegerField(
        _("times made ready"),
        default=0,
        editable=False,
        help_text=_("Voter codes are valid only for the freezing they were printed for."),
    )
    voter_list_sha256 = models.CharField(
        _("voter list fingerprint (SHA-256)"), max_length=64, blank=True, editable=False
    )
    # The minutes (domain.md "Results and minutes"): the number the register gives it (empty:
    # a blank to fill in by hand), how many copies are made, and when the count began and ended.
    document_number = models.CharField(
        _("minutes number"),
        max_length=30,
        blank=True,
        help_text=_("Empty: the minutes print a blank for the register to fill in."),
    )
    minutes_copies = models.PositiveSmallIntegerField(
        _("copies of the minutes"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    count_started_at = models.TimeField(_("count began at"), null=True, blank=True)
    count_ended_at = models.TimeField(_("count ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(regime__in=["qd96", "nq96", "nq85", "nq35"]),
                name="session_regime_valid",
            ),
            models.CheckConstraint(
                condition=Q(procedure__in=["rating", "confidence"]),
                name="session_procedure_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["electronic", "paper_ballots", "paper_tally"]),
                name="session_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["internal", "public"]), name="session_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "ready", "open", "closed", "certified", "published"]
                ),
                name="session_status_valid",
            ),
            # Past draft the voter list is frozen, and its fingerprint with it.
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(voter_list_sha256=""),
                name="session_frozen_has_fingerprint",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="session_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    # --- The life cycle, named (docs/architecture.md). Python and templates ask these; only
    # sessions.services.transitions writes the status.
    @property
    def is_draft(self) -> bool:
        """The lists may still be edited."""
        return self.status == self.Status.DRAFT

    @property
    def is_ready(self) -> bool:
        """Lists frozen, voting not yet opened."""
        return self.status == self.Status.READY

    @property
    def is_open(self) -> bool:
        """Voting (or paper counting) is under way."""
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        """Counted, not yet certified."""
        return self.status == self.Status.CLOSED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def lists_frozen(self) -> bool:
        """Past draft: the voter and candidate lists can no longer change."""
        return self.status != self.Status.DRAFT

    @property
    def desk_open(self) -> bool:
        """The check-in desk works: ready or open."""
        return self.status in DESK_OPEN

    @property
    def has_opened(self) -> bool:
        """Voting has been opened at some point, so attendance is known."""
        return self.status in HAS_OPENED

    @property
    def is_counted(self) -> bool:
        """Voting is over: closed, certified or published."""
        return self.status in COUNTED

    @property
    def is_certified(self) -> bool:
        """The committee has certified the result (it may also be published)."""
        return self.status in CERTIFIED

    @property
    def rules(self) -> Rules:
        """What this session's regime and procedure decide (sessions/regimes.py)."""
        return rules_for(self.regime, self.procedure)

    def levels(self) -> list[tuple[str, str]]:
        """The boxes on this session's ballot, in printed order."""
        return self.rules.levels


Status = VotingSession.Status
# Named groups of statuses, for queries (`status__in=COUNTED`) and the predicates above.
DESK_OPEN = (Status.READY, Status.OPEN)
HAS_OPENED = (Status.OPEN, Status.CLOSED, Status.CERTIFIED, Status.PUBLISHED)
COUNTED = (Status.CLOSED, Status.CERTIFIED, Status.PUBLISHED)
CERTIFIED = (Status.CERTIFIED, Status.PUBLISHED)
# Ready to certified: the lists are frozen; the ballot prints them.
IN_PROGRESS = (Status.READY, Status.OPEN, Status.CLOSED)


class CandidateQuerySet(models.QuerySet):
    def on_ballot(self) -> CandidateQuerySet:
        """The candidates printed on the ballot (not those excluded from the rating), in order."""
        return self.filter(excluded=False).order_by("order")


class Candidate(models.Model):
    """An official on one session's list, in ballot order; excluded ones are not on the ballot."""

    class ExclusionReason(models.TextChoices):
        RETIRING = "retiring", _("Announced retirement")
        NEWLY_APPOINTED = "new", _("Elected or appointed this year")
        RESIGNED = "resigned", _("Resigned")  # xin từ chức: out of a follow-up vote
        OTHER = "other", _("Other reason")

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    position = models.CharField(
        _("position on the ballot"),
        max_length=300,
        help_text=_("As printed on this ballot; all posts on one line."),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    excluded = models.BooleanField(_("not rated"), default=False)
    exclusion_reason = models.CharField(
        _("reason not rated"), max_length=10, choices=ExclusionReason, blank=True
    )
    exclusion_note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "official"], name="candidate_once_per_session"
            ),
            models.UniqueConstraint(fields=["session", "order"], name="candidate_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="candidate_order_positive"),
            models.CheckConstraint(
                condition=(Q(excluded=False) & Q(exclusion_reason=""))
                | (
                    Q(excluded=True)
                    & Q(exclusion_reason__in=["retiring", "new", "resigned", "other"])
                ),
                name="candidate_excluded_has_reason",
            ),
            models.CheckConstraint(condition=~Q(position=""), name="candidate_position_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.official.full_name}"


class Voter(models.Model):
    """A summoned person. Deliberately no timestamps, codes or arrival order (secrecy)."""

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="voters",
    )
    number = models.PositiveIntegerField(_("no."))
    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.CharField(_("position or unit"), max_length=300, blank=True)
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("summoned voter")
        verbose_name_plural = _("summoned voters")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="voter_number_unique"),
            models.UniqueConstraint(
                fields=["session", "full_name", "unit"], name="voter_once_per_session"
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="voter_name_not_empty"),
            models.CheckConstraint(condition=Q(number__gte=1), name="voter_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.unit})" if self.unit else self.full_name


class CommitteeMember(models.Model):
    """A member of the counting committee (Ban kiểm phiếu). Never a person being rated."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        MEMBER = "member", _("Member")

    session = models.ForeignKey(
        VotingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="committee",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.CharField(_("position or unit"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=6, choices=Role, default=Role.MEMBER)
    # The account this member signs in with: only a linked member may certify the count.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
    )

    class Meta:
        verbose_name = _("counting committee member")
        verbose_name_plural = _("counting committee members")
        ordering = ["session", "role", "full_name"]  # "head" before "member"
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(role="head"), name="committee_one_head"
            ),
            models.UniqueConstraint(fields=["session", "full_name"], name="committee_member_once"),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="committee_account_once",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["head", "member"]), name="committee_role_valid"
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="committee_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"
