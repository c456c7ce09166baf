from django.utils.functional import SimpleLazyObject

from notifications import selectors


def bell_label(count: int) -> str:
    """What the bell shows: "", "3" or "99+"."""
    return (
        ""
        if not count
        else f"{selectors.UNREAD_CAP - 1}+"
        if count >= selectors.UNREAD_CAP
        else str(count)
    )


def notifications(request) -> dict:
    """`notifications_unread` for the bell ("", "3" or "99+"): counted (one query) only
    when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notifications_unread": SimpleLazyObject(
            lambda: bell_label(selectors.unread_count(user=user))
        )
    }
