"""Who manages the webhooks: community managers, through permissions granted to their
group (never a flag on the user). `change_endpoint` is also what redelivering and
rotating a secret take, and who is told when an endpoint is switched off."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS

COMMUNITY_MANAGERS_MAY = {
    "endpoint": ("view", "add", "change", "delete"),
    "event": ("view",),
    "delivery": ("view",),
    "attempt": ("view",),
}


def webhooks_groups_grant(apps) -> None:
    """Idempotent: adds the permissions above to the group, never removes any."""
    group_grant(
        apps, group_name=COMMUNITY_MANAGERS, app_label="webhooks", may=COMMUNITY_MANAGERS_MAY
    )
