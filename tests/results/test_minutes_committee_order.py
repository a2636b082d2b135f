"""The minutes list the counting committee in Vietnamese name order, the head first."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from ballots import services as ballot_services
from sessions import services
from tests.factories import open_session
from tests.sessions.test_committee_order import EXPECTED, MEMBERS


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def test_the_minutes_list_the_committee_head_first_then_in_vietnamese_order(client, cast):
    for name in MEMBERS:
        services.committee_member_add(
            actor=cast.secretariat, session=cast.session, full_name=name, unit="", role="member"
        )
    open_session(cast.session, cast.secretariat, codes=5, activate=1)
    ballot_services.session_close(actor=cast.secretariat, session=cast.session, confirm_empty=True)
    client.force_login(cast.committee)
    response = client.get(reverse("results:minutes", args=[cast.session.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    # The member list in the body ("2. …") and the signature block both follow the order.
    numbered = [text.index(f"{n}. {name}") for n, name in enumerate(EXPECTED, start=2)]
    assert numbered == sorted(numbered)
    assert text.index("1. Trưởng Ban Kiểm") < numbered[0]
    assert " ".join(EXPECTED) in text[text.rindex(EXPECTED[0]) - 1 :]  # the members' signatures
