"""What the apps registered in sessions.tabs, resolved for the page being rendered.

{% load session_tabs %}
{% session_tabs as tabs %}        the header's tabs for `session` and the user
{% session_actions as actions %}  the overview's buttons (actions.links, actions.forms)
{% dashboard_links as links %}    the dashboard's buttons
{% dashboard_panels as panels %}  the dashboard's blocks (each: template, context)
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from sessions import tabs as registry

register = template.Library()


def _perms(context: template.Context) -> registry.SessionPerms:
    known = {}
    if context.get("can_prepare") is not None:
        known["prepare"] = bool(context["can_prepare"])
    return registry.SessionPerms(context["request"].user, context["session"], **known)


@dataclass(frozen=True)
class Actions:
    links: list[registry.Shown]
    forms: list[registry.Shown]


@register.simple_tag(takes_context=True)
def session_tabs(context: template.Context) -> list[registry.Shown]:
    return registry.session_tabs(context["session"], _perms(context))


@register.simple_tag(takes_context=True)
def session_actions(context: template.Context) -> Actions:
    shown = registry.session_actions(context["session"], _perms(context))
    return Actions(
        links=[action for action in shown if not action.post],
        forms=[action for action in shown if action.post],
    )


@register.simple_tag
def dashboard_links() -> list[registry.Shown]:
    return registry.dashboard_links()


@register.simple_tag(takes_context=True)
def dashboard_panels(context: template.Context) -> list[registry.ShownPanel]:
    return registry.dashboard_panels(context["request"].user)
