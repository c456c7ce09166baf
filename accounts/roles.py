"""Staff roles are Django groups, not flags on the user."""

from django.utils.translation import gettext_lazy as _

MODERATORS = "Moderators"
SUPPORT_LEADS = "Support leads"
COMMUNITY_MANAGERS = "Community managers"
ALL = (MODERATORS, SUPPORT_LEADS, COMMUNITY_MANAGERS)
# Groups are named in English in the database; these are their display names.
LABELS = {
    MODERATORS: _("Moderators"),
    SUPPORT_LEADS: _("Support leads"),
    COMMUNITY_MANAGERS: _("Community managers"),
}


def _group_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Cached on the instance: role checks run many times per page.
    if not hasattr(user, "_peerdesk_groups"):
        user._peerdesk_groups = set(user.groups.values_list("name", flat=True))
    return user._peerdesk_groups


def is_moderator(user) -> bool:
    """May work the review queue: a permission the Moderators and Community managers
    groups hold (moderation.permissions), checked like any other."""
    return user.is_authenticated and user.has_perm("moderation.moderate_case")


def is_official(user) -> bool:
    """Staff whose answers are marked official: support leads and community managers."""
    return user.is_authenticated and (
        user.is_superuser or bool(_group_names(user) & {SUPPORT_LEADS, COMMUNITY_MANAGERS})
    )


def is_staff_member(user) -> bool:
    """Anyone with a staff role, admin rights, or a permission granted directly (which
    gives staff powers without a group: the same second-factor rule applies)."""
    return user.is_authenticated and (
        user.is_staff
        or user.is_superuser
        or bool(_group_names(user))
        or bool(user.get_user_permissions())
    )
