"""In-process timings: the tally, the results pages, the documents. Prints JSON.

Run inside Django against the bench database (`bench/run.py` does).
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import time
import uuid

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ballots.models import Ballot, Mark
from ballots.services import session_close
from ballots.slips import slips_pdf
from results import documents
from results.services import result_certify, result_publish
from results.tally import result_compute
from sessions import services
from sessions.imports import VoterRow
from sessions.models import Membership, Organization, VotingSession
from sessions.selectors import voter_list_fingerprint

LEVELS = ["high", "medium", "low", "invalid"]


def timed(fn, repeat: int = 5) -> float:
    """Median seconds of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def closed_session(org, user, *, candidates: int, ballots: int) -> VotingSession:
    """A closed electronic session with `ballots` random ballots, inserted in bulk."""
    session = services.session_create(
        actor=user,
        organization=org,
        title=f"Tally {ballots}×{candidates} {uuid.uuid4().hex[:4]}",
        date=datetime.date.today(),
        place="bench",
        regime="qd96",
        procedure="rating",
        mode="electronic",
        scope="public",
    )
    for i in range(candidates):
        services.candidate_add(
            actor=user,
            session=session,
            full_name=f"Ứng viên Thị Mỹ {i + 1}",
            positions="Phó Chủ tịch Hội đồng nhân dân tỉnh",
        )
    services.voters_import(
        actor=user,
        session=session,
        rows=[VoterRow(line=i, full_name=f"Đại biểu {i}", unit="") for i in range(ballots)],
        replace=False,
    )
    services.committee_member_add(  # linked: only a linked member certifies
        actor=user, session=session, full_name="Trưởng ban", unit="", role="head", user=user
    )
    ids = list(session.candidates.values_list("pk", flat=True))
    rng = random.Random(7)
    new = [Ballot(id=uuid.uuid4(), session=session) for _ in range(ballots)]
    Ballot.objects.bulk_create(new, batch_size=2000)
    Mark.objects.bulk_create(
        [Mark(ballot=b, candidate_id=c, level=rng.choice(LEVELS)) for b in new for c in ids],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        # Autovacuum analyzes a table each time a tenth of it has changed, so a real session's
        # ballots and marks have statistics by the time it is counted; 500,000 rows inserted in a
        # second have none, and the tally is planned as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ballots_ballot, ballots_mark")
    VotingSession.objects.filter(pk=session.pk).update(
        status="open", ready_count=1, voter_list_sha256=voter_list_fingerprint([])
    )
    session.refresh_from_db()
    # Closed as the desk closes it: rows shuffled, the marks counted once and the counts kept,
    # the tables rewritten after the commit (ballots/services.py session_close).
    started = time.perf_counter()
    session_close(actor=user, session=session, confirm_empty=True)
    session.refresh_from_db()
    session.close_seconds = time.perf_counter() - started
    return session


def main() -> None:
    org, _ = Organization.objects.get_or_create(name="Bench", defaults={"kind": "mass"})
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, organization=org, role="committee")
    Membership.objects.get_or_create(user=user, organization=org, role="secretariat")
    out: dict = {"tally": {}, "pages": {}, "documents": {}}

    for ballots in (2000, 10000):
        session = closed_session(org, user, candidates=50, ballots=ballots)
        reset_queries()  # the bulk inserts above overflow Django's 9,000-query log
        with CaptureQueriesContext(connection) as queries:
            result_compute(session)
        out["tally"][f"{ballots}x50"] = {
            "seconds": timed(lambda s=session: result_compute(s)),
            "queries": len(queries),
            "close_seconds": session.close_seconds,
        }

    session = closed_session(org, user, candidates=20, ballots=500)
    result_certify(actor=user, session=session)
    result_publish(actor=user, session=session)
    client = Client()
    client.force_login(user)
    anonymous = Client()
    for name, make, who in (
        ("results page (staff)", lambda: f"/sessions/{session.pk}/results/", client),
        ("public results page", lambda: f"/public/{session.public_id}/", anonymous),
        (
            "results.json (API)",
            lambda: f"/api/sessions/{session.public_id}/results.json",
            anonymous,
        ),
    ):
        url = make()
        with CaptureQueriesContext(connection) as queries:
            status = who.get(url).status_code
        out["pages"][name] = {
            "status": status,
            "queries": len(queries),
            "seconds": timed(lambda u=url, c=who: c.get(u), repeat=7),
        }

    # The whole request: 1,000 copies of the 20-person ballot, as the secretariat downloads it.
    url = f"/sessions/{session.pk}/ballot-form.pdf?copies=1000"
    assert client.get(url)["Content-Type"] == "application/pdf"
    out["documents"]["ballot form, 1000 copies"] = timed(lambda: client.get(url), repeat=3)

    for candidates in (10, 50, 200):
        session = closed_session(org, user, candidates=candidates, ballots=100)
        result = result_compute(session)
        name = "minutes, 200 people" if candidates == 200 else f"minutes, {candidates} candidates"
        out["documents"][name] = timed(
            lambda r=result: documents.minutes_pdf(r, ballot_set_sha256="0" * 64), repeat=3
        )
    codes = [f"{i:015d}" for i in range(500)]
    out["documents"]["code slips, 500 codes"] = timed(
        lambda: slips_pdf(session=session, codes=codes, base_url="http://192.168.1.10:8000"),
        repeat=3,
    )
    print(json.dumps(out))


main()  # run by `manage.py shell` from stdin (bench/run.py), not imported
