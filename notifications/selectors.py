"""Reading notifications and preferences."""

from django.db.models import QuerySet

from notifications import kinds
from notifications.models import Channel, Kind, Notification, Preference

UNREAD_CAP = 100


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
    """Counts at most UNREAD_CAP (the bell shows "99+"), on the partial index of unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:UNREAD_CAP].count()


def can_see(notification: Notification) -> bool:
    """Whether the recipient may still see what the notification is about: an active
    member, and every post it names visible (or their own: authors see theirs)."""
    recipient = notification.recipient
    if not recipient.is_active:
        return False
    posts = (notification.question, notification.answer, notification.comment)
    return all(post is None or post.is_visible or post.author_id == recipient.pk for post in posts)
