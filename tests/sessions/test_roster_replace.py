"""Replacing a draft's summoned list with the body's roster says what it removed and added, and
its button asks first."""

from __future__ import annotations

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from sessions import services


def test_replacing_the_list_with_the_roster_says_how_many_were_removed_and_added(client, cast):
    services.voter_add(actor=cast.secretariat, session=cast.session, full_name="Người Mới")
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)  # 6 members
    for name in ("Khách Một", "Khách Hai"):
        services.voter_add(actor=cast.secretariat, session=cast.session, full_name=name)
    before = cast.session.voters.count()
    assert before == 8
    client.force_login(cast.secretariat)
    url = reverse("votesessions:voters_from_roster", args=[cast.session.pk])
    response = client.post(url, {"replace": "1"})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "Đã thay thế danh sách triệu tập: bỏ 8 người khỏi danh sách, đưa 6 thành viên trong danh "
        "sách của cơ quan vào danh sách triệu tập."
    ]
    assert cast.session.voters.count() == 6
    event = cast.session.audit_events.get(action="voters_from_roster")
    assert (event.detail["removed"], event.detail["count"]) == (8, 6)


def test_the_replace_button_asks_for_confirmation_naming_how_many_voters_go(client, cast):
    services.roster_save_from_session(actor=cast.secretariat, session=cast.session)
    total = cast.session.voters.count()
    client.force_login(cast.secretariat)
    page = client.get(reverse("votesessions:voters", args=[cast.session.pk])).content.decode()
    replace_form = re.search(r'<form[^>]*id="roster-replace"[^>]*>', page).group(0)
    assert 'data-confirm="' in replace_form
    assert f" {total} " in re.search(r'data-confirm="([^"]*)"', replace_form).group(1)
    append_form = re.search(r'<form[^>]*id="roster-append"[^>]*>', page).group(0)
    assert "data-confirm" not in append_form
