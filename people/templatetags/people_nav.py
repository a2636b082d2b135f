"""The staff layout's links to the people pages, for those who may use them."""

from __future__ import annotations

from typing import Any

from django import template

from sessions.models import Membership

from ..access import is_administrator, keeps_a_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def people_links(context: Any) -> dict[str, bool]:
    """What the signed-in user may open: bodies and accounts, and the officials registry."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"administer": False, "registry": False}
    cached = getattr(request, "_people_links", None)
    if cached is None:
        cached = {"administer": is_administrator(user), "registry": keeps_a_registry(user)}
        request._people_links = cached
    return cached


@register.filter
def role_label(value: str) -> str:
    """A Membership role's name, from its stored code."""
    try:
        return str(Membership.Role(value).label)
    except ValueError:
        return value
