"""What campaigns adds to the pages of sessions (which cannot import it): a block on the
dashboard with the user's campaigns, a "Campaign" tab on a session linked to one, and the name
of the link in the audit trail. Registered from CampaignsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions.access import AnyUser
from sessions.audit_labels import register_audit_labels
from sessions.models import VotingSession
from sessions.tabs import SessionPerms, register_dashboard_panel, register_tab

from .access import campaign_access, may_launch
from .models import CampaignSession
from .selectors import dashboard_entries


def dashboard_panel(user: AnyUser) -> dict[str, Any] | None:
    """The user's campaigns (a body taking part: its progress and "create our session")."""
    if not user.is_authenticated:
        return None
    entries = dashboard_entries(user)
    launch = may_launch(user)
    if not entries and not launch:
        return None
    return {"entries": entries, "may_launch": launch}


def _in_a_visible_campaign(session: VotingSession, perms: SessionPerms) -> bool:
    link = CampaignSession.objects.filter(session=session).select_related("campaign").first()
    return link is not None and campaign_access(perms.user, link.campaign).any


def register() -> None:
    register_dashboard_panel("campaigns", "campaigns/_dashboard.html", dashboard_panel, order=10)
    register_tab(
        "campaign", _("Campaign"), "campaigns:for_session", order=90, visible=_in_a_visible_campaign
    )
    register_audit_labels({"campaign_linked": _("Linked to a campaign")})
