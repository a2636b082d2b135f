"""Reads that span relations: dashboards, the session page, the readiness checklist."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .audit_keys import LEGACY_KEY_ID, current_key, keyring
from .collation import committee_order
from .models import AuditEvent, Candidate, CommitteeMember, Membership, Voter, VotingSession
from .regimes import quorum_met, quorum_needed

VOTER_LIST_FORMAT = "tinnhiem-voter-list-v1"


def normalize_name(name: str) -> str:
    """Names compared for the committee rule: case and spacing ignored, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def voter_list_fingerprint(voters: Iterable[Voter]) -> str:
    """SHA-256 of the voter list, reproducible by anyone holding the list (docs/fingerprints.md).

    The input is a first line "tinnhiem-voter-list-v1", then one line per voter in list order:
    number, TAB, full name, TAB, position or unit (all NFC), each line ending in LF; UTF-8.
    """
    digest = hashlib.sha256()
    digest.update(f"{VOTER_LIST_FORMAT}\n".encode())
    for voter in voters:
        line = f"{voter.number}\t{voter.full_name}\t{voter.unit}\n"
        digest.update(unicodedata.normalize("NFC", line).encode())
    return digest.hexdigest()


def session_list(sessions: QuerySet[VotingSession]) -> QuerySet[VotingSession]:
    return sessions.annotate(
        candidate_count=Count("candidates", filter=Q(candidates__excluded=False), distinct=True),
        voter_count=Count("voters", distinct=True),
        # A session without a voter list (an imported count) has its summoned figure on the
        # committee's count sheet (ballots.CountSheet, reached by its relation's name).
        summoned_recorded=Max("count_sheet__summoned"),
    ).order_by("-date", "-pk")


def session_candidates(session: VotingSession) -> list[Candidate]:
    return list(session.candidates.select_related("official").order_by("order"))


def session_committee(session: VotingSession) -> list[CommitteeMember]:
    return committee_order(session.committee.select_related("user"))


def session_audit(session: VotingSession) -> list[AuditEvent]:
    return list(session.audit_events.select_related("actor").order_by("-pk"))


def same_person(name: str, names: Iterable[str]) -> str | None:
    """The first of `names` that is `name` under the committee rule, or None."""
    wanted = normalize_name(name)
    return next((other for other in names if normalize_name(other) == wanted), None)


def ballot_candidates(session: VotingSession) -> list[Candidate]:
    """The people on this session's ballot, in printed order, each with their official."""
    return list(session.candidates.on_ballot().select_related("official"))


def rated_names(session: VotingSession) -> list[str]:
    """The names of the people on this session's ballot (not those excluded from the rating)."""
    return list(session.candidates.on_ballot().values_list("official__full_name", flat=True))


def committee_conflicts(session: VotingSession) -> list[str]:
    """Names of committee members who are also rated in this session."""
    rated = rated_names(session)
    return [
        name
        for name in session.committee.values_list("full_name", flat=True)
        if same_person(name, rated)
    ]


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    label: str
    hint: str = ""


def readiness_checks(session: VotingSession) -> list[Check]:
    """What must hold before the lists can be frozen ("ready")."""
    rated = session.candidates.on_ballot().count()
    voters = session.voters.count()
    heads = session.committee.filter(role=CommitteeMember.Role.HEAD).count()
    conflicts = committee_conflicts(session)
    checks = [
        Check(
            "candidates",
            rated > 0,
            _("At least one person to be rated on the ballot"),
            _("Add candidates on the “Candidates” tab."),
        ),
        Check(
            "voters",
            voters > 0,
            _("The list of summoned voters"),
            _("Import the list from CSV or Excel, or add voters one by one."),
        ),
        Check(
            "committee_head",
            heads == 1,
            _("A head of the counting committee"),
            _("Add the committee on the “Committee” tab and choose its head."),
        ),
        Check(
            "committee_conflict",
            not conflicts,
            _("Nobody being rated sits on the counting committee"),
            _("Remove from the committee: %(names)s.") % {"names": ", ".join(conflicts)}
            if conflicts
            else "",
        ),
    ]
    return checks


def readiness_blockers(session: VotingSession) -> list[Check]:
    return [check for check in readiness_checks(session) if not check.ok]


@dataclass(frozen=True)
class Quorum:
    """Presence against the ⅔ quorum (sessions/regimes.py says where it binds)."""

    present: int
    summoned: int

    @property
    def needed(self) -> int:
        return quorum_needed(self.summoned)

    @property
    def met(self) -> bool:
        return quorum_met(present=self.present, summoned=self.summoned)

    @property
    def absent(self) -> int:
        return self.summoned - self.present


def quorum(session: VotingSession) -> Quorum:
    counts = session.voters.aggregate(
        summoned=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    return Quorum(present=counts["present"], summoned=counts["summoned"])


@dataclass(frozen=True)
class AuditHead:
    """Where a session's audit chain stands: how many events, and the last one's hash."""

    count: int
    hash: str

    @property
    def short(self) -> str:
        """As the audit tab shows it at a glance (the minutes print the whole head)."""
        return self.hash[:16]


def audit_head(session: VotingSession) -> AuditHead:
    """The chain as stored (not verified: audit_chain_check does that)."""
    events = AuditEvent.objects.filter(session=session)
    last = events.order_by("-pk").values_list("hash", flat=True).first()
    return AuditHead(count=events.count(), hash=last or "")


@dataclass(frozen=True)
class PrintedHead:
    """A head some document printed, as the trail itself recorded it (e.g. in the minutes)."""

    event: AuditEvent  # the event that recorded it: results certified
    count: int
    hash: str
    matches: bool  # the trail's event no. `count` still ends at that hash

    @property
    def short(self) -> str:
        return self.hash[:16]


def audit_printed_heads(session: VotingSession) -> list[PrintedHead]:
    """Every head recorded in the trail as printed on paper, checked against the trail now.

    The minutes print the trail as it stood when they were rendered, and the certification
    event (signed like every event) records the same count and head: the trail's event of that
    number must still carry that hash, whatever was cut or rewritten after it.
    """
    events = list(AuditEvent.objects.filter(session=session).order_by("pk"))
    printed = []
    for event in events:
        detail = event.detail or {}
        count, head = detail.get("audit_events"), detail.get("audit_head")
        if not isinstance(count, int) or not isinstance(head, str) or not head:
            continue
        at = events[count - 1].hash if 0 < count <= len(events) else ""
        printed.append(PrintedHead(event, count, head, constant_time_compare(at, head)))
    return printed


BREAK_REASONS = {
    "link": gettext_noop(
        "does not follow the event before it: an event was removed, inserted or reordered"
    ),
    "altered": gettext_noop("was altered: its code does not match its content"),
    "unknown_key": gettext_noop(
        "is signed with a key this server does not hold (key id %(key_id)s)"
    ),
    "legacy": gettext_noop(
        "was never keyed: its chain was already broken when the audit key was introduced"
    ),
    "retired_key": gettext_noop(
        "is signed with a retired key (key id %(key_id)s) after events signed with the current one"
    ),
}


@dataclass(frozen=True)
class ChainBreak:
    """The first event of a chain that does not verify, its place (from 1) and why."""

    event: AuditEvent
    position: int
    reason: str

    @property
    def because(self) -> str:
        return _(BREAK_REASONS[self.reason]) % {"key_id": self.event.key_id}

    def __str__(self) -> str:
        return f"event {self.event.pk} ({self.event.action}) {self.because}"


@dataclass(frozen=True)
class ChainCheck:
    head: AuditHead  # as far as the chain was read: the whole of it when intact
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def audit_chain_check(session: VotingSession) -> ChainCheck:
    """Walk a session's chain, recomputing every link under the key that signed it."""
    keys = keyring()
    current = current_key().id
    previous = ""
    count = 0
    seen_current = False
    for event in AuditEvent.objects.filter(session=session).order_by("pk").iterator():
        count += 1
        key = keys.get(event.key_id)
        reason = ""
        if event.prev_hash != previous:
            reason = "link"
        elif event.key_id == LEGACY_KEY_ID:
            reason = "legacy"
        elif key is None:
            reason = "unknown_key"
        elif seen_current and key.id != current:
            # A new key applies to new events: whoever still holds a retired key cannot add to
            # a chain the current key has already signed.
            reason = "retired_key"
        elif not constant_time_compare(event.hash, event.compute_hash(key)):
            reason = "altered"
        seen_current = seen_current or event.key_id == current
        if reason:
            return ChainCheck(
                head=AuditHead(count=count - 1, hash=previous),
                broken=ChainBreak(event=event, position=count, reason=reason),
            )
        previous = event.hash
    return ChainCheck(head=AuditHead(count=count, hash=previous), broken=None)


def voters_matching(session: VotingSession, query: str) -> QuerySet[Voter]:
    """The summoned list in order, narrowed to names or units containing `query`."""
    voters = session.voters.order_by("number")
    if query:
        voters = voters.filter(Q(full_name__icontains=query) | Q(unit__icontains=query))
    return voters


def committee_accounts(session: VotingSession) -> QuerySet:
    """The accounts a member of this session's committee may be linked to: active accounts with
    the counting-committee role in the session's organization (not above, not beside it)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id=session.organization_id,
            memberships__role=Membership.Role.COMMITTEE,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
