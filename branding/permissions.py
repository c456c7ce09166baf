"""What the "Community managers" group may do with the brand in the admin."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS

COMMUNITY_MANAGERS_MAY = {
    "brand": ("view", "change"),
    "footerlink": ("view", "add", "change", "delete"),
}


def community_managers_grant(apps) -> None:
    """Idempotent: adds the permissions above to the group, never removes any."""
    group_grant(
        apps, group_name=COMMUNITY_MANAGERS, app_label="branding", may=COMMUNITY_MANAGERS_MAY
    )
