"""Who sees what the community saves: support leads and community managers, through
the permission `insights.analyse_event` (never a flag on the user)."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS, SUPPORT_LEADS

MAY = {
    "event": ("analyse", "view"),
    "channelcost": ("view", "change"),
    "insightssettings": ("view", "change"),
    "contactrequest": ("view",),
}


def can_see_insights(user) -> bool:
    return user.is_authenticated and user.has_perm("insights.analyse_event")


def can_set_costs(user) -> bool:
    return user.is_authenticated and user.has_perm("insights.change_channelcost")


def insights_groups_grant(apps) -> None:
    """Idempotent."""
    for group_name in (SUPPORT_LEADS, COMMUNITY_MANAGERS):
        group_grant(apps, group_name=group_name, app_label="insights", may=MAY)
