"""Create an open electronic session with activated codes; write its codes as JSON.

Run inside Django (`bench/run.py` does): BENCH_CODES, BENCH_LABEL and BENCH_OUT come from the
environment. Also writes a signed-in staff session's cookie (the secretariat of the session),
for the staff requests of the bench (the paper ballot form).
"""

from __future__ import annotations

import datetime
import json
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from ballots import services as ballot_services
from ballots.models import VoterCode
from sessions import services
from sessions.imports import VoterRow
from sessions.models import Membership, Organization

CANDIDATES = 20


def main() -> None:
    count = int(os.environ["BENCH_CODES"])
    label = os.environ["BENCH_LABEL"]
    org, _ = Organization.objects.get_or_create(name="Bench", defaults={"kind": "mass"})
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, organization=org, role="secretariat")
    session = services.session_create(
        actor=user,
        organization=org,
        title=f"Bench {label}",
        date=datetime.date.today(),
        place="loopback",
        regime="nq96",
        procedure="rating",
        mode="electronic",
    )
    for i in range(CANDIDATES):
        services.candidate_add(
            actor=user, session=session, full_name=f"Ứng viên {i + 1}", positions="Ủy viên"
        )
    services.voters_import(
        actor=user,
        session=session,
        rows=[VoterRow(line=i, full_name=f"Đại biểu {i}", unit="") for i in range(count)],
        replace=False,
    )
    services.committee_member_add(
        actor=user, session=session, full_name="Trưởng ban", unit="", role="head"
    )
    services.session_mark_ready(actor=user, session=session)
    codes = ballot_services.codes_generate(actor=user, session=session, count=count)
    # The desk's work, in bulk: every slip handed over.
    VoterCode.objects.filter(session=session).update(state=VoterCode.State.ACTIVE)
    ballot_services.session_open(actor=user, session=session)
    candidates = list(session.candidates.order_by("order").values_list("pk", flat=True))
    staff = Client()
    staff.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}"
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(
            {
                "session": session.pk,
                "codes": codes,
                "candidates": candidates,
                "staff_cookie": cookie,
            },
            out,
        )


main()
