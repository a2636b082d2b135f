"""The voter's path: a code opens the ballot, the choices are read back, the cast is stored.

A session's ballot cannot change once it is *ready*: its title, people and printed lines are
edited only in a draft (sessions/services/lists.py), an official on a ready, open or closed
session's list cannot be renamed (people/registry), and every return to draft and back bumps
`ready_count`. So what a voter is shown is read from the database once per (session,
ready_count) and kept in this process (FrozenBallot), with its empty page rendered once per
language (ballots/voter_pages.py). A request then costs one indexed read of the code (with its
session's status and ready_count, and its body's name, which may change at any time), and a
cast one statement (PostgreSQL) or one transaction (SQLite) of `_store`; neither depends on
how many people are on the ballot. Nothing kept here names a voter or a code.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sessions.models import COUNTED, Organization, VotingSession
from sessions.selectors import ballot_candidates

from . import codes
from .models import BLANK, Ballot, Mark, VoterCode
from .refusals import BallotRefused

Status = VotingSession.Status
State = VoterCode.State

# Sessions whose ballot this process keeps; a hall votes in one, a province in a few at once.
KEEP = 32


@dataclass(frozen=True)
class Line:
    """One person as the ballot prints them."""

    pk: int
    name: str
    position: str


@dataclass
class FrozenBallot:
    """What every voter of one session (at one ready_count) is shown; read once, never changed."""

    session_id: int
    ref: str  # "<public id>.<ready_count>": sent back by the ballot page (kept_form)
    title: str
    vote_of_confidence: bool
    lines: tuple[Line, ...]
    levels: tuple[tuple[str, str], ...]  # value and (lazy) label, in printed order
    # The whole empty ballot page per language, with stand-ins (ballots/voter_pages.py).
    pages: dict[str, str] = field(default_factory=dict)

    def translated_levels(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in self.levels]

    def rows(self, chosen: Mapping[int, str] | None = None) -> SafeString:
        """The fieldsets of radio buttons, `chosen` ones checked (the empty ones are rendered
        once per language, as part of the kept page: voter_pages.ballot_page)."""
        context = {
            "lines": [(line, (chosen or {}).get(line.pk)) for line in self.lines],
            "levels": self.translated_levels(),
        }
        return render_to_string("ballots/_ballot_rows.html", context)


_kept: OrderedDict[tuple[str, int], FrozenBallot] = OrderedDict()
# FrozenBallot.ref as a page sends it back: ASCII only, so int() never refuses what matched.
_REF = re.compile(r"([A-Za-z0-9_-]{1,32})\.([0-9]{1,9})")
_lock = threading.Lock()


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def frozen_ballot(session_id: int, public_id: str, ready_count: int) -> FrozenBallot:
    # The random public id too: a database restored or rebuilt under a running server may give
    # an old number to another session, never its public id.
    key = (public_id, ready_count)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    session = VotingSession.objects.get(pk=session_id)
    ballot = FrozenBallot(
        session_id=session_id,
        ref=f"{public_id}.{ready_count}",
        title=session.title,
        vote_of_confidence=session.rules.vote_of_confidence,
        lines=tuple(
            Line(pk=c.pk, name=c.official.full_name, position=c.position)
            for c in ballot_candidates(session)
        ),
        levels=tuple(session.levels()),
    )
    with _lock:
        _kept[key] = ballot
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return ballot


def keep_open_ballots() -> int:
    """Read and keep the ballot of every open session (the most recent KEEP): the app server's
    master does before it forks its workers (tinnhiem/warmup.py keep_ballots), so that their
    first voter waits for no read of the people.
    How many are kept."""
    opened = VotingSession.objects.filter(status=Status.OPEN).order_by("-pk")[:KEEP]
    found = list(opened.values_list("pk", "public_id", "ready_count"))
    for session_id, public_id, ready_count in reversed(found):
        frozen_ballot(session_id, public_id, ready_count)
    return len(found)


def forget_frozen_ballots() -> None:
    """For the tests, which roll back what a running server would never see change."""
    with _lock:
        _kept.clear()


@dataclass(frozen=True)
class BallotForm:
    """What a voter is shown once the code checks out, and the code's hash for the cast."""

    ballot: FrozenBallot
    levels: list[tuple[str, str]]  # translated for this request
    digest: str
    organization_name: str  # read with the code: a body may be renamed at any time
    # From kept_form only: the freezing the page was of, which the cast's gate checks the code
    # against (ballot_open leaves it None: it read the code's epoch and compared it itself).
    ready_count: int | None = None

    @property
    def candidates(self) -> tuple[Line, ...]:
        return self.ballot.lines


def ballot_open(raw: str, *, locked: tuple[str, list] | None = None) -> BallotForm:
    """Check a code for voting now; refuse it with the reason a voter can act on.

    `locked`: an SQL condition (and its parameters) true when the device or address is locked
    out (ballots/throttle.py `Buckets.locked`), tested in the same statement as the code is read,
    and before it: a locked device's request reads no code, and is refused "throttled".
    """
    code = codes.normalize(raw)
    if code is None and locked is None:
        raise BallotRefused("format")
    # A malformed code is still tested against the lock (a locked device is answered from this
    # read, writing nothing), with a key no code has.
    digest = codes.code_hash(code) if code is not None else ""
    condition, condition_params = locked or ("0 = 1", [])
    # Every voter request runs this read, and the ORM's building of it cost more than the
    # database's answer (issue 15): it is written out, with the tables' names from the models.
    # One row always: the lock test, then the code's columns (NULL for an unknown code). The key
    # the code is looked up by is NULL when locked, so a locked device's request finds no code
    # row, right or wrong (its plan and timing do not depend on the code).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.locked, c.state, c.epoch, c.session_id, s.public_id, s.status, "
            f"s.ready_count, o.name FROM (SELECT CASE WHEN {condition} THEN 1 ELSE 0 END "
            f"AS locked) t LEFT JOIN {_table(VoterCode)} c "
            f"ON c.code_hash = CASE WHEN t.locked = 0 THEN %s END "
            f"LEFT JOIN {_table(VotingSession)} s ON s.id = c.session_id "
            f"LEFT JOIN {_table(Organization)} o ON o.id = s.organization_id",
            [*condition_params, digest],
        )
        locked_out, *row = cursor.fetchone()
    if locked_out:
        raise BallotRefused("throttled")
    if code is None:
        raise BallotRefused("format")
    state, epoch, session_id, public_id, status, ready_count, organization_name = row
    if state is None:
        raise BallotRefused("unknown")
    if state == State.USED:
        raise BallotRefused("used")
    if state == State.VOID or epoch != ready_count:
        raise BallotRefused("closed" if status == Status.CLOSED else "void")
    if status in COUNTED:
        raise BallotRefused("closed")
    if status != Status.OPEN:
        raise BallotRefused("not_open")
    if state == State.INERT:
        raise BallotRefused("inert")
    ballot = frozen_ballot(session_id, public_id, ready_count)
    return BallotForm(
        ballot=ballot,
        levels=ballot.translated_levels(),
        digest=digest,
        organization_name=organization_name,
    )


def kept_form(raw: str, ref: str) -> BallotForm | None:
    """The form of the ballot this process keeps under `ref` (FrozenBallot.ref, sent back by the
    ballot page), read nowhere: for a cast whose code was vouched right a moment ago, so the gate
    alone decides (`_store` with `epoch`). None when not kept here or `code` is malformed: the
    caller reads the code (ballot_open)."""
    code = codes.normalize(raw)
    named = _REF.fullmatch(ref)
    if code is None or named is None:
        return None
    public_id, ready_count = named[1], int(named[2])
    with _lock:
        ballot = _kept.get((public_id, ready_count))
    if ballot is None:
        return None
    return BallotForm(
        ballot=ballot,
        levels=ballot.translated_levels(),
        digest=codes.code_hash(code),
        organization_name="",  # a cast shows no page
        ready_count=ready_count,
    )


def choices_from_post(
    form: BallotForm, data: Mapping[str, list[str]], *, strict: bool
) -> dict[int, str]:
    """Read one choice per candidate from POST data: field c<candidate id>.

    strict (the final submit): every candidate must be there exactly once, as a level or "blank".
    Not strict (the first page of radio buttons): a missing candidate is a blank line.
    Anything else (an unknown candidate, an unknown level, a field twice) is tampering.
    """
    allowed = {value for value, _label in form.levels} | {BLANK}
    expected = {f"c{c.pk}": c.pk for c in form.candidates}
    sent = {
        key: values for key, values in data.items() if key.startswith("c") and key[1:].isdigit()
    }
    if set(sent) - set(expected):
        raise BallotRefused("tampered")
    choices: dict[int, str] = {}
    for name, candidate_id in expected.items():
        values = sent.get(name)
        if values is None:
            if strict:
                raise BallotRefused("tampered")
            choices[candidate_id] = BLANK
            continue
        if len(values) != 1 or values[0] not in allowed:
            raise BallotRefused("tampered")
        choices[candidate_id] = values[0]
    return choices


def ballot_cast(*, raw: str, choices: Mapping[int, str], form: BallotForm | None = None) -> None:
    """Consume the code and store the ballot with all its marks: all of it, or nothing.

    `form` is the ballot_open() or kept_form() of this same code when the caller already has it.
    A kept form's cast that the gate refuses (a used or void code, a page of another session or
    of an earlier freezing) goes the long way: the code is read, and its refusal says why.
    """
    form = form or ballot_open(raw)
    levels = {value for value, _label in form.levels}
    if set(choices) != {c.pk for c in form.candidates} or any(
        v not in levels | {BLANK} for v in choices.values()
    ):
        raise BallotRefused("tampered")
    session_id = form.ballot.session_id
    if _store(session_id, form.digest, choices, epoch=form.ready_count):
        return
    if form.ready_count is not None:
        ballot_cast(raw=raw, choices=choices)
        return
    # Refused: now say why (a second read only on this rare path).
    state = VoterCode.objects.filter(code_hash=form.digest).values_list("state", flat=True).first()
    status = VotingSession.objects.values_list("status", flat=True).get(pk=session_id)
    if state == State.USED:
        raise BallotRefused("used")
    raise BallotRefused("not_open" if status == Status.READY else "closed")


# The conditional update is the one gate: of any number of racing submits with this code, exactly
# one changes the row, and only while its session is open at the code's freezing. The close locks
# every code row and rewrites its state before it commits, and PostgreSQL re-checks this WHERE on
# the row's latest version after waiting: a cast that loses to the close finds its code no longer
# active.
GATE = (
    "UPDATE {codes} SET state = %s WHERE code_hash = %s AND session_id = %s AND state = %s "
    "AND epoch = (SELECT ready_count FROM {sessions} WHERE id = %s AND status = %s)"
)


def _store(
    session_id: int, digest: str, choices: Mapping[int, str], *, epoch: int | None = None
) -> bool:
    """The gate and the ballot; False, and nothing written, when the gate refuses. `epoch`: the
    freezing the voter's page was of (kept_form), which the code must also have."""
    gate = GATE.format(codes=_table(VoterCode), sessions=_table(VotingSession))
    params = [State.USED, digest, session_id, State.ACTIVE, session_id, Status.OPEN]
    if epoch is not None:
        gate += " AND epoch = %s"
        params.append(epoch)
    if connection.vendor == "postgresql" and choices:
        return _store_in_one_statement(gate, params, session_id, choices)
    return _store_in_one_transaction(gate, params, session_id, choices)


@transaction.atomic(durable=True)
def _store_in_one_transaction(
    gate: str, params: list, session_id: int, choices: Mapping[int, str]
) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(gate, params)
        if cursor.rowcount != 1:
            return False
    Ballot.objects.store(session_id=session_id, choices=choices)
    return True


def _store_in_one_statement(
    gate: str, params: list, session_id: int, choices: Mapping[int, str]
) -> bool:
    """PostgreSQL: the gate, the ballot and its marks as one statement, so one round trip and
    its own transaction (a transaction of four statements was five round trips, issue 15). The
    ballot is inserted only for a row the gate changed, and the marks only for that ballot."""
    marks = [
        (candidate_id, Mark.Level.INVALID if level == BLANK else level)
        for candidate_id, level in choices.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH used AS ({gate} RETURNING 1), "
            f"ballot AS (INSERT INTO {_table(Ballot)} (id, session_id, entry_id, whole_invalid) "
            f"SELECT %s::uuid, %s, NULL, false FROM used RETURNING id) "
            f"INSERT INTO {_table(Mark)} (ballot_id, candidate_id, level) "
            f"SELECT ballot.id, mark.candidate, mark.level FROM ballot, "
            f"(VALUES {', '.join(['(%s::bigint, %s)'] * len(marks))}) AS mark (candidate, level)",
            [*params, str(uuid.uuid4()), session_id, *(value for mark in marks for value in mark)],
        )
        return cursor.rowcount == len(marks)
