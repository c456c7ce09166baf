"""Who sees what customers searched for (the content gaps) and keeps the synonyms:
support leads and community managers, through permissions granted to their groups."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS, SUPPORT_LEADS

MAY = {
    COMMUNITY_MANAGERS: {
        "searchlog": ("view",),
        "synonym": ("view", "add", "change", "delete"),
    },
    SUPPORT_LEADS: {"searchlog": ("view",), "synonym": ("view",)},
}


def search_groups_grant(apps) -> None:
    """Idempotent."""
    for group_name, may in MAY.items():
        group_grant(apps, group_name=group_name, app_label="search", may=may)
