"""Who decides which sites may embed the widget: community managers, through permissions
granted to their group (the admin of AllowedOrigin)."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS

MAY = {"allowedorigin": ("view", "add", "change", "delete")}


def widget_groups_grant(apps) -> None:
    """Idempotent."""
    group_grant(apps, group_name=COMMUNITY_MANAGERS, app_label="widget", may=MAY)
