"""ballots/storage.py ballots_rewrite: every ballot and mark inserted again, nothing lost."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ballots import services, storage
from ballots.models import Ballot, Mark
from tests.factories import fill_session, make_session, open_session

PATTERNS = [
    ("high", "low", "medium"),
    ("low", "low", "low"),
    ("high", "high", "blank"),
    ("medium", "low", "high"),
    ("low", "medium", "medium"),
    ("high", "low", "medium"),  # the same as the first: kept twice
    ("blank", "blank", "low"),
]


def _patterns(session) -> Counter:
    people = list(session.candidates.order_by("order").values_list("pk", flat=True))
    marks: dict = {}
    for ballot_id, candidate_id, level in Mark.objects.filter(ballot__session=session).values_list(
        "ballot_id", "candidate_id", "level"
    ):
        marks.setdefault(ballot_id, {})[candidate_id] = level
    return Counter(tuple(ballot[p] for p in people) for ballot in marks.values())


def test_a_rewrite_keeps_every_ballot_s_marks_across_many_statements(cast, monkeypatch):
    session = fill_session(
        make_session(cast.org, cast.secretariat), cast.secretariat, candidates=3, voters=7
    )
    codes = open_session(session, cast.secretariat, codes=7, activate=7)
    people = list(session.candidates.order_by("order"))
    for code, levels in zip(codes, PATTERNS, strict=True):
        services.ballot_cast(
            raw=code, choices={c.pk: lv for c, lv in zip(people, levels, strict=True)}
        )
    before = _patterns(session)
    old_ids = set(Ballot.objects.filter(session=session).values_list("pk", flat=True))
    # Two marks to a statement: the last statement holds the odd one out.
    monkeypatch.setattr(connection.features, "max_query_params", 6)
    with CaptureQueriesContext(connection) as queries:
        assert storage.ballots_rewrite(Ballot.objects.filter(session=session)) == 7
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "ballots_mark"')]
    assert len(inserts) == 11  # 21 marks, 2 to a statement
    assert _patterns(session) == before
    assert len(before) == 6 and sum(before.values()) == 7
    new_ids = set(Ballot.objects.filter(session=session).values_list("pk", flat=True))
    assert len(new_ids) == 7 and not new_ids & old_ids
    assert Mark.objects.filter(ballot__session=session).count() == 21
