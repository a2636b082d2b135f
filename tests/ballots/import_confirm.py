"""The browser tally import's second step, for tests: confirm what the preview proposed."""

from __future__ import annotations

from django.urls import reverse


def confirm(client, preview, **choices):
    """POST the preview's signed payload back, with any row's choice (link_<line>=…)."""
    assert preview.status_code == 200, preview.content.decode()[:2000]
    data = {"payload": preview.context["token"], **choices}
    return client.post(reverse("ballots:tally_import"), data)
