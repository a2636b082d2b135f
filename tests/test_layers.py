"""The layers hold: sessions < ballots < results < tinnhiem, in Python and in templates.

sessions' pages show the tabs and buttons that the apps above register in sessions.tabs, so
sessions' templates never name a URL of ballots or results.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sessions import tabs
from sessions.audit_labels import audit_label
from sessions.models import VotingSession
from tests.factories import open_session

Status = VotingSession.Status
Mode = VotingSession.Mode
SESSION_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "votesessions"
DOWNSTREAM_URL = re.compile(r"""['"](ballots|results):""")


def test_python_imports_only_go_down_the_layers():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run(
        [lint_imports, "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_sessions_template_names_a_ballots_or_results_url():
    templates = sorted(SESSION_TEMPLATES.rglob("*.html"))
    assert templates
    found = [
        f"{path.relative_to(SESSION_TEMPLATES)}: {match.group(0)}"
        for path in templates
        for match in DOWNSTREAM_URL.finditer(path.read_text())
    ]
    assert found == []


def _session_as(cast, status: str, mode: str = Mode.ELECTRONIC) -> VotingSession:
    """The cast's session seen in another state (in memory: the tabs only read it)."""
    session = VotingSession.objects.get(pk=cast.session.pk)
    session.status, session.mode = status, mode
    return session


def _keys(shown) -> list[str]:
    return [entry.key for entry in shown]


SESSION_TABS = ["overview", "candidates", "voters", "committee"]


@pytest.mark.parametrize(
    ("status", "mode", "who", "expected"),
    [
        (Status.DRAFT, Mode.ELECTRONIC, "secretariat", []),
        (Status.READY, Mode.ELECTRONIC, "secretariat", ["desk", "codes"]),
        (Status.READY, Mode.ELECTRONIC, "leader", []),  # the desk is for the staff (RUN)
        (Status.READY, Mode.PAPER_BALLOTS, "secretariat", ["desk"]),
        (Status.OPEN, Mode.ELECTRONIC, "committee", ["desk"]),
        (Status.CLOSED, Mode.ELECTRONIC, "committee", ["results"]),
        (Status.CLOSED, Mode.PAPER_BALLOTS, "leader", ["results"]),  # paper: the committee's
        (Status.CLOSED, Mode.PAPER_BALLOTS, "committee", ["results", "paper"]),
        (Status.CERTIFIED, Mode.PAPER_TALLY, "secretariat", ["results"]),
        (Status.CERTIFIED, Mode.PAPER_TALLY, "committee", ["results", "tally"]),
        (Status.PUBLISHED, Mode.PAPER_TALLY, "superuser", ["results", "tally"]),
    ],
)
def test_ballots_and_results_contribute_the_session_tabs(cast, status, mode, who, expected):
    session = _session_as(cast, status, mode)
    shown = tabs.session_tabs(session, tabs.SessionPerms(getattr(cast, who), session))
    assert _keys(shown) == SESSION_TABS + expected + ["audit"]
    urls = {entry.key: entry.url for entry in shown}
    for key in expected:
        app = "results" if key == "results" else "ballots"
        name = "page" if key == "results" else key
        assert urls[key] == reverse(f"{app}:{name}", args=[session.pk])


@pytest.mark.parametrize(
    ("status", "mode", "who", "expected"),
    [
        (Status.DRAFT, Mode.ELECTRONIC, "secretariat", []),
        (Status.READY, Mode.ELECTRONIC, "secretariat", ["codes", "desk", "open"]),
        (Status.READY, Mode.PAPER_TALLY, "secretariat", ["ballot_form", "desk", "open"]),
        (Status.READY, Mode.ELECTRONIC, "committee", ["desk"]),
        (Status.READY, Mode.ELECTRONIC, "leader", []),
        (Status.OPEN, Mode.ELECTRONIC, "secretariat", ["codes", "desk", "turnout", "close"]),
        (Status.OPEN, Mode.ELECTRONIC, "leader", ["turnout"]),
        (Status.OPEN, Mode.PAPER_BALLOTS, "secretariat", ["desk", "turnout", "close_paper"]),
        (Status.CLOSED, Mode.PAPER_BALLOTS, "secretariat", ["results"]),
        (Status.CLOSED, Mode.ELECTRONIC, "leader", ["results"]),
        (Status.CLOSED, Mode.PAPER_BALLOTS, "committee", ["results", "paper"]),
        (Status.CLOSED, Mode.PAPER_TALLY, "committee", ["results", "tally"]),
        (Status.CERTIFIED, Mode.PAPER_TALLY, "committee", ["results"]),
    ],
)
def test_ballots_and_results_contribute_the_overview_buttons(cast, status, mode, who, expected):
    session = _session_as(cast, status, mode)
    shown = tabs.session_actions(session, tabs.SessionPerms(getattr(cast, who), session))
    assert _keys(shown) == expected


@pytest.mark.parametrize("mode", [Mode.ELECTRONIC, Mode.PAPER_BALLOTS, Mode.PAPER_TALLY])
@pytest.mark.parametrize("status", [Status.READY, Status.OPEN, Status.CLOSED])
def test_no_tab_or_button_leads_a_role_to_a_page_that_refuses_it(client, cast, status, mode):
    """A tab or link shown to a user opens for that user: the registered entries ask the same
    need as their views (the desk: RUN; paper count and tally sheet: COUNT)."""
    VotingSession.objects.filter(pk=cast.session.pk).update(mode=mode)
    VotingSession.objects.filter(pk=cast.session.pk).update(
        **{"status": status, "voter_list_sha256": "0" * 64}
    )
    session = VotingSession.objects.get(pk=cast.session.pk)
    refused = []
    for who in ["secretariat", "committee", "leader", "parent_leader", "superuser"]:
        user = getattr(cast, who)
        client.force_login(user)
        perms = tabs.SessionPerms(user, session)
        shown = tabs.session_tabs(session, perms) + tabs.session_actions(session, perms)
        for entry in shown:
            if getattr(entry, "post", False):
                continue  # a one-button form: its refusal is a message (tests/sessions)
            status_code = client.get(entry.url).status_code
            if status_code >= 400:
                refused.append((who, entry.key, status_code))
    assert refused == []


def test_a_registered_tab_shows_in_the_header_of_every_session_page(client, cast, monkeypatch):
    monkeypatch.setitem(
        tabs._registry.tabs,
        "extra",
        tabs.Tab("extra", "Extra tab", "votesessions:voters", order=90),
    )
    client.force_login(cast.leader)
    for page in ("votesessions:detail", "votesessions:audit"):
        html = client.get(reverse(page, args=[cast.session.pk])).content.decode()
        nav = re.search(r'<ul class="nav nav-tabs.*?</ul>', html, re.S).group(0)
        labels = re.findall(r'class="nav-link[^>]*>([^<]+)</a>', nav)
        assert len(labels) == 6 and labels[4] == "Extra tab"  # before the audit trail


def test_the_dashboard_links_to_the_tally_import_through_the_registry(client, cast):
    client.force_login(cast.secretariat)
    html = client.get(reverse("votesessions:dashboard")).content.decode()
    assert f'href="{reverse("ballots:tally_import")}"' in html
    client.force_login(cast.leader)  # cannot create sessions: no import either
    html = client.get(reverse("votesessions:dashboard")).content.decode()
    assert reverse("ballots:tally_import") not in html


def _written_actions() -> set[str]:
    """Every audit action the apps write: `action="…"` in services, "admin_…" in the admin."""
    found: set[str] = set()
    for app in ("sessions", "ballots", "results"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text()
            found |= set(re.findall(r'\baction="([a-z_]+)"', text))
            found |= set(re.findall(r'"(admin_[a-z]+)"', text))
    return found


def test_every_action_the_apps_write_has_a_label_from_its_own_app():
    written = _written_actions()
    assert {"session_created", "voting_opened", "tally_imported", "results_published"} <= written
    with translation.override("en"):
        unnamed = sorted(action for action in written if audit_label(action) == action)
    assert unnamed == []


def test_the_audit_page_shows_the_labels_ballots_registered(client, cast):
    open_session(cast.session, cast.secretariat)
    client.force_login(cast.leader)
    html = client.get(reverse("votesessions:audit", args=[cast.session.pk])).content.decode()
    with translation.override("vi"):
        for action in ("codes_generated", "voting_opened", "session_ready"):
            assert audit_label(action) != action
            assert audit_label(action) in html
    assert "voting_opened" not in html
