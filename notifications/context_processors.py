from django.utils.functional import SimpleLazyObject

from notifications import selectors


def _label(count: int) -> str:
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
        "notifications_unread": SimpleLazyObject(lambda: _label(selectors.unread_count(user=user)))
    }
