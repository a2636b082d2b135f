"""Who may see or change a campaign. Every campaign view goes through these helpers.

- Launching and changing a campaign: an organization administrator of the launching body (or of
  a body above it: an administrator reaches its whole subtree), or the launching body's own
  secretariat. The bodies taking part are chosen in the launching body's subtree.
- The campaign page with the consolidated report: those, and the leaders of the launching body
  or of a body above it (a leader reads the bodies below its own).
- The secretariat of a body taking part sees the campaign page for its own body (the other
  bodies' progress, never their figures), and creates or attaches its session there.
- Anyone else: the same 404 as a missing campaign. Superusers (support staff) reach everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from sessions.access import AnyUser, Need, organization_ids_for
from sessions.models import Membership, Organization

from .models import Campaign

Role = Membership.Role


def launch_ids(user: AnyUser) -> set[int] | None:
    """Bodies the user may launch a campaign for (None: all, support staff)."""
    administered = organization_ids_for(user, Need.ADMINISTER)
    if administered is None:
        return None
    return administered | (organization_ids_for(user, Need.PREPARE) or set())


def launch_organizations(user: AnyUser) -> QuerySet[Organization]:
    ids = launch_ids(user)
    qs = Organization.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def may_launch(user: AnyUser) -> bool:
    ids = launch_ids(user)
    return ids is None or bool(ids)


def _leads_at_or_above(user: AnyUser, organization: Organization) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    line = [organization.pk, *organization.ancestor_ids()]
    return Membership.objects.filter(user=user, role=Role.LEADER, organization_id__in=line).exists()


@dataclass(frozen=True)
class CampaignAccess:
    """What one user may do on one campaign."""

    manage: bool  # change it (the launching body's administrators and secretariat)
    report: bool  # see every body's figures: the consolidated report
    own_bodies: frozenset[int]  # bodies taking part whose sessions the user prepares

    @property
    def any(self) -> bool:
        return self.manage or self.report or bool(self.own_bodies)


def campaign_access(user: AnyUser, campaign: Campaign) -> CampaignAccess:
    launch = launch_ids(user)
    manage = launch is None or campaign.organization_id in launch
    report = manage or _leads_at_or_above(user, campaign.organization)
    prepare = organization_ids_for(user, Need.PREPARE)
    bodies = set(campaign.bodies.values_list("organization_id", flat=True))
    own = bodies if prepare is None else bodies & prepare
    return CampaignAccess(manage=manage, report=report, own_bodies=frozenset(own))


def get_campaign_for_user(user: AnyUser, pk: int) -> tuple[Campaign, CampaignAccess]:
    campaign = Campaign.objects.select_related("organization").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    access = campaign_access(user, campaign)
    if not access.any:
        raise Http404
    return campaign, access


def visible_campaigns(user: AnyUser) -> list[tuple[Campaign, CampaignAccess]]:
    """Every campaign the user may open, newest first, with what the user may do there."""
    if not user.is_authenticated or not user.is_active:
        return []
    qs = Campaign.objects.select_related("organization")
    if not user.is_superuser:
        # A first cut in SQL (the bodies the user reads, a leader's below its own, or
        # administers); campaign_access decides.
        near = (organization_ids_for(user, Need.READ) or set()) | (launch_ids(user) or set())
        qs = qs.filter(Q(organization_id__in=near) | Q(bodies__organization_id__in=near)).distinct()
    found = []
    for campaign in qs:
        access = campaign_access(user, campaign)
        if access.any:
            found.append((campaign, access))
    return found


def _below(ids: set[int]) -> set[int]:
    """The bodies at or below the given ones."""
    if not ids:
        return set()
    found = set(ids)
    frontier = set(ids)
    while frontier:
        frontier = set(
            Organization.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def subtree_ids(organization: Organization) -> set[int]:
    """The launching body and every body below it: where its campaign's bodies are chosen."""
    return _below({organization.pk})
