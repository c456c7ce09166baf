"""Reading notifications and preferences."""

from django.core.cache import cache
from django.db.models import QuerySet

from notifications import kinds
from notifications.models import Channel, Kind, Notification, Preference

UNREAD_CAP = 100
# The bell's count is kept until a notification of the member's is written or read
# (services.bell_changed); this bounds a count read by a page during such a write.
BELL_SECONDS = 60


def channels_for(user) -> dict[str, str]:
    """The member's channel for every kind: their preference or the kind's default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {
        kind: chosen[kind] if chosen.get(kind) in Channel.values else kinds.default_channel(kind)
        for kind in Kind.values
    }


def channel_for(*, user, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("channel", flat=True)
    channel = next(iter(chosen), None)
    return channel if channel in Channel.values else kinds.default_channel(kind)


def notifications_for(*, user) -> QuerySet:
    """Newest first, with what their text and links need (one query per page)."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("recipient", "actor", "question__forum", "answer", "comment")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user) -> int:
    """Counts at most UNREAD_CAP (the bell shows "99+"), on the partial index of unread;
    kept in the cache (BELL_SECONDS), as every page a member reads shows it."""
    count = cache.get(bell_key(user.pk))
    if count is None:
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        count = unread[:UNREAD_CAP].count()
        cache.set(bell_key(user.pk), count, BELL_SECONDS)
    return count


def bell_key(user_id: int) -> str:
    return f"bell:{user_id}"


def can_see(notification: Notification) -> bool:
    """Whether the recipient may still see what the notification is about: an active
    member, and every post it names visible (or their own: authors see theirs)."""
    recipient = notification.recipient
    if not recipient.is_active:
        return False
    posts = (notification.question, notification.answer, notification.comment)
    return all(post is None or post.is_visible or post.author_id == recipient.pk for post in posts)
