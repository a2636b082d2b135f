"""A second click on a life-cycle button changes nothing and says so, instead of nothing at all."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from ballots import services as ballot_services
from results import services as result_services
from sessions import services as session_services
from tests.factories import full_choices, open_session


def _said(client, url: str) -> list[str]:
    """What the page following the redirect shows (the messages are read, so they go)."""
    response = client.post(url, follow=True)
    assert response.redirect_chain and response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_second_open_close_and_back_to_draft_each_say_nothing_changed(client, cast):
    session = cast.session
    client.force_login(cast.secretariat)
    session_services.session_mark_ready(actor=cast.secretariat, session=session)
    session_services.session_back_to_draft(actor=cast.secretariat, session=session)
    draft = reverse("votesessions:draft", args=[session.pk])
    assert _said(client, draft) == ["Hội nghị đã ở trạng thái dự thảo."]
    codes = open_session(session, cast.secretariat, codes=2, activate=1)
    assert _said(client, reverse("ballots:open", args=[session.pk])) == [
        "Bỏ phiếu đã được mở từ trước."
    ]
    ballot_services.ballot_cast(
        raw=codes[0], choices={int(k[1:]): v for k, v in full_choices(session).items()}
    )
    ballot_services.session_close(actor=cast.secretariat, session=session)
    events = session.audit_events.count()
    assert _said(client, reverse("ballots:close", args=[session.pk])) == [
        "Bỏ phiếu đã được kết thúc từ trước."
    ]
    result_services.result_certify(actor=cast.committee, session=session)
    publish = reverse("results:publish", args=[session.pk])
    unpublish = reverse("results:unpublish", args=[session.pk])
    assert _said(client, unpublish) == ["Kết quả chưa được công bố."]
    result_services.result_publish(actor=cast.secretariat, session=session)
    assert _said(client, publish) == ["Kết quả đã được công bố từ trước."]
    session.refresh_from_db()
    assert session.is_published
    assert session.audit_events.count() == events + 2  # certify and publish, nothing else
