"""The session's tabs and its pages' actions, contributed by the apps above sessions.

`sessions` imports neither `ballots` nor `results`, and its templates name none of their URLs
(dependencies point one way). Those apps register their tabs and actions here from their
AppConfig.ready(); the session header, the overview and the dashboard render what is
registered, in `order`, for the session and the user (see templatetags/session_tabs.py).

A `visible` callable gets the session and a `SessionPerms` (what the user may do on it) and
says whether the entry shows; it asks the session's life-cycle predicates, never a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from .access import AnyUser, Need, can
from .models import VotingSession


class SessionPerms:
    """What one user may do on one session, asked once per need and remembered."""

    def __init__(self, user: AnyUser, session: VotingSession, **known: bool) -> None:
        self.user = user
        self.session = session
        self._known: dict[Need, bool] = {Need(need): value for need, value in known.items()}

    def has(self, need: Need) -> bool:
        if need not in self._known:
            self._known[need] = can(self.user, self.session, need)
        return self._known[need]

    @property
    def prepare(self) -> bool:
        return self.has(Need.PREPARE)


Visible = Callable[[VotingSession, SessionPerms], bool]


def always(session: VotingSession, perms: SessionPerms) -> bool:
    return True


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int
    visible: Visible = always


@dataclass(frozen=True)
class Action:
    """A button on the session's overview: a link (GET) or a one-button form (POST)."""

    key: str
    label: Any
    url_name: str
    order: int
    visible: Visible = always
    post: bool = False
    style: str = "btn-outline-primary"
    confirm: Any = ""


@dataclass(frozen=True)
class Link:
    """A button on the dashboard, for those who may create sessions."""

    key: str
    label: Any
    url_name: str
    order: int
    style: str = "btn-outline-secondary"


@dataclass(frozen=True)
class Shown:
    """A registered entry resolved for one page: its URL reversed."""

    entry: Tab | Action | Link
    url: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)


@dataclass(frozen=True)
class Panel:
    """A block on the dashboard: a template, and its context for the user (None: not shown)."""

    key: str
    template: str
    context: Callable[[AnyUser], dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]


@dataclass
class Registry:
    tabs: dict[str, Tab] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    panels: dict[str, Panel] = field(default_factory=dict)


_registry = Registry()


def register_tab(
    key: str, label: Any, url_name: str, *, order: int, visible: Visible = always
) -> Tab:
    """Add (or replace, by key: ready() may run twice) a tab of the session header."""
    tab = _registry.tabs[key] = Tab(key, label, url_name, order, visible)
    return tab


def register_action(
    key: str,
    label: Any,
    url_name: str,
    *,
    order: int,
    visible: Visible = always,
    post: bool = False,
    style: str = "btn-outline-primary",
    confirm: Any = "",
) -> Action:
    """Add (or replace, by key) a button of the session's overview."""
    action = _registry.actions[key] = Action(
        key, label, url_name, order, visible, post, style, confirm
    )
    return action


def register_dashboard_link(
    key: str, label: Any, url_name: str, *, order: int, style: str = "btn-outline-secondary"
) -> Link:
    """Add (or replace, by key) a button beside "New session" on the dashboard."""
    link = _registry.links[key] = Link(key, label, url_name, order, style)
    return link


def register_dashboard_panel(
    key: str,
    template: str,
    context: Callable[[AnyUser], dict[str, Any] | None],
    *,
    order: int,
) -> Panel:
    """Add (or replace, by key) a block of the dashboard, above the sessions."""
    panel = _registry.panels[key] = Panel(key, template, context, order)
    return panel


def _visible(entries: dict[str, Any], session: VotingSession, perms: SessionPerms) -> list[Shown]:
    return [
        Shown(entry, reverse(entry.url_name, args=[session.pk]))
        for entry in sorted(entries.values(), key=lambda entry: entry.order)
        if entry.visible(session, perms)
    ]


def session_tabs(session: VotingSession, perms: SessionPerms) -> list[Shown]:
    return _visible(_registry.tabs, session, perms)


def session_actions(session: VotingSession, perms: SessionPerms) -> list[Shown]:
    return _visible(_registry.actions, session, perms)


def dashboard_links() -> list[Shown]:
    return [
        Shown(link, reverse(link.url_name))
        for link in sorted(_registry.links.values(), key=lambda link: link.order)
    ]


def dashboard_panels(user: AnyUser) -> list[ShownPanel]:
    shown = []
    for panel in sorted(_registry.panels.values(), key=lambda panel: panel.order):
        context = panel.context(user)
        if context is not None:
            shown.append(ShownPanel(panel.template, context))
    return shown
