"""What the staff groups may do in moderation: working the queue is the permission
`moderation.moderate_case`, never a flag on the user (accounts.roles.is_moderator)."""

from accounts.permissions import group_grant
from accounts.roles import COMMUNITY_MANAGERS, MODERATORS, SUPPORT_LEADS

MODERATORS_MAY = {
    "case": ("view", "moderate"),
    "moderationaction": ("view",),
    "appeal": ("view",),
    "flag": ("view",),
    "memberstanding": ("view",),
    "watchedword": ("view",),
}
COMMUNITY_MANAGERS_MAY = {
    **MODERATORS_MAY,
    "watchedword": ("view", "add", "change", "delete"),
    "trustlevelrule": ("view", "change"),
    "moderationsettings": ("view", "change"),
}
# Support leads read the audit log (they answer customers about removed posts).
SUPPORT_LEADS_MAY = {"moderationaction": ("view",)}


def staff_groups_grant(apps) -> None:
    """Idempotent."""
    for group_name, may in (
        (MODERATORS, MODERATORS_MAY),
        (COMMUNITY_MANAGERS, COMMUNITY_MANAGERS_MAY),
        (SUPPORT_LEADS, SUPPORT_LEADS_MAY),
    ):
        group_grant(apps, group_name=group_name, app_label="moderation", may=may)
