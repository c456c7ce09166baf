"""What the "Community managers" group may do with rewards in the admin."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS

COMMUNITY_MANAGERS_MAY = {
    "pointrule": ("view", "add", "change"),
    "economysettings": ("view", "change"),
    "rank": ("view", "add", "change", "delete"),
    "badge": ("view", "add", "change", "delete"),
    "memberbadge": ("view",),
    "pointsaccount": ("view",),
    "ledgerentry": ("view",),
}


def community_managers_grant(apps) -> None:
    """Idempotent: adds the permissions above to the group, never removes any."""
    group_grant(
        apps, group_name=COMMUNITY_MANAGERS, app_label="rewards", may=COMMUNITY_MANAGERS_MAY
    )
