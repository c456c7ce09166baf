"""Writing notifications: one row per event and recipient, in the caller's transaction."""

import zoneinfo
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from community.models import Follow, Question, Visibility
from notifications import kinds, selectors
from notifications.models import Channel, EmailState, Kind, Notification, Preference

_EMAIL_STATE: dict[str, EmailState] = {
    Channel.IN_APP: EmailState.NONE,
    Channel.EMAIL: EmailState.PENDING,
    Channel.DIGEST: EmailState.DIGEST,
}
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)
# An unsubscribe token for the digest turns off every kind the member gets in digests.
DIGEST = "digest"
# The sweep re-runs the fan-out of questions this recent whose task may have been lost.
FAN_OUT_WINDOW = timedelta(days=1)
FAN_OUT_GRACE = timedelta(minutes=5)


def _delivery(channel: str, data: dict) -> dict:
    """The email state a channel means, and the data to keep: secrets only while an
    email is due."""
    state = _EMAIL_STATE[channel]
    if state == EmailState.NONE:
        data = kinds.public_data(data)
    return {"email_state": state, "data": data}


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    key: str,
    actor=None,
    question=None,
    answer=None,
    comment=None,
    data: dict | None = None,
):
    """Writes the notification `key` for `recipient` unless it exists, per the member's
    preference for `kind` (off: nothing; email: sent after commit; digest: kept for the
    daily digest). Returns the notification, or None when nothing was written."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    channel = selectors.channel_for(user=recipient, kind=kind)
    if channel == Channel.OFF:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient,
            "kind": kind,
            "actor": actor,
            "question": question,
            "answer": answer,
            "comment": comment,
            **_delivery(channel, data or {}),
        },
    )
    if not created:
        return None
    bell_changed([recipient.pk])
    if notification.email_state == EmailState.PENDING:
        _send_on_commit([notification.pk])
    return notification


def _send_on_commit(ids: list[int]) -> None:
    from notifications import tasks  # the tasks import this module

    tasks.enqueue_on_commit(tasks.send_email, ids)


# --- Followers of a forum ---------------------------------------------------------------


def forum_question_fan_out(*, question_id: int) -> int:
    """Tells the forum's followers about a new visible question, in one transaction (so
    a question either has all its rows or none). Idempotent: the keys are unique and
    conflicts are ignored. Returns how many rows were offered."""
    question = Question.objects.filter(pk=question_id, visibility=Visibility.VISIBLE).first()
    if question is None:
        return 0
    preference = Preference.objects.filter(user=OuterRef("pk"), kind=Kind.FORUM_QUESTION)
    members = User.objects.filter(follows__forum_id=question.forum_id, is_active=True)
    if question.author_id is not None:  # not the asker (an erased asker is no one)
        members = members.exclude(pk=question.author_id)
    followers = members.annotate(channel=Subquery(preference.values("channel")[:1])).values_list(
        "pk", "channel"
    )
    default = kinds.default_channel(Kind.FORUM_QUESTION)
    now = timezone.now()
    rows = []
    for user_id, chosen in followers.iterator(chunk_size=2000):
        channel = chosen if chosen in Channel.values else default
        if channel == Channel.OFF:
            continue
        rows.append(
            Notification(
                recipient_id=user_id,
                kind=Kind.FORUM_QUESTION,
                key=f"forum-question:{question.pk}:{user_id}",
                actor_id=question.author_id,
                question=question,
                created_at=now,
                **_delivery(channel, {}),
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        bell_changed([row.recipient_id for row in rows])
        pending = Notification.objects.filter(
            question=question, kind=Kind.FORUM_QUESTION, email_state=EmailState.PENDING
        )
        _send_on_commit(list(pending.values_list("pk", flat=True)))
    return len(rows)


def fan_out_due(*, now: datetime) -> list[int]:
    """Recent visible questions whose forum has followers but which have no follower
    notification yet: their fan-out task was lost (or all followers turned it off)."""
    followed = Follow.objects.filter(forum_id=OuterRef("forum_id")).exclude(
        user_id=OuterRef("author_id")
    )
    told = Notification.objects.filter(question=OuterRef("pk"), kind=Kind.FORUM_QUESTION)
    return list(
        Question.objects.filter(
            created_at__gte=now - FAN_OUT_WINDOW,
            created_at__lte=now - FAN_OUT_GRACE,
            visibility=Visibility.VISIBLE,
        )
        .filter(Exists(followed))
        .exclude(Exists(told))
        .values_list("pk", flat=True)
    )


# --- Reading ----------------------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Idempotent. Raises Notification.DoesNotExist for another member's notification."""
    notification = selectors.notifications_for(user=user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        bell_changed([user.pk])
    return notification


def notifications_mark_all_read(*, user) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    bell_changed([user.pk])
    return unread.update(read_at=timezone.now())


def bell_changed(user_ids: list[int]) -> None:
    """Forgets the members' kept bell counts (selectors.unread_count): at once, and again
    at commit, as a page read in between would keep the count from before."""
    keys = [selectors.bell_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- Preferences ------------------------------------------------------------------------


@transaction.atomic
def preferences_set(*, user, channels: Mapping[str, str]) -> dict[str, str]:
    """Sets the channel of each kind given; a kind set to its default keeps no row, so it
    follows the default. Returns every kind's channel."""
    errors = {
        kind: _("Choose one of: %(channels)s.") % {"channels": ", ".join(Channel.values)}
        for kind, channel in channels.items()
        if kind not in Kind.values or channel not in Channel.values
    }
    if errors:
        raise ValidationError(errors)
    defaults = [
        kind for kind, channel in channels.items() if channel == kinds.default_channel(kind)
    ]
    Preference.objects.filter(user=user, kind__in=defaults).delete()
    Preference.objects.bulk_create(
        [
            Preference(user=user, kind=kind, channel=channel)
            for kind, channel in channels.items()
            if kind not in defaults
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel"],
    )
    return selectors.channels_for(user)


def unsubscribe_token(*, user, kind: str) -> str:
    """For the link in an email; `kind` is a Kind or DIGEST."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_check(token: str) -> tuple[User, str]:
    """The member and kind of a valid token; ValidationError if forged, expired or
    about a member who is gone."""
    invalid = ValidationError(
        _(
            "This unsubscribe link is not valid or has expired. You can choose which "
            "emails you get in your notification settings."
        )
    )
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        raise invalid from None
    kind = payload.get("k") if isinstance(payload, dict) else None
    user = User.objects.filter(pk=payload.get("u")).first() if kind else None
    if user is None or kind not in [*Kind.values, DIGEST]:
        raise invalid
    return user, kind


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Email of the token's kind (or every digested kind) stops; the notifications stay
    in the app. Idempotent. Raises ValidationError for a bad token, changing nothing."""
    user, kind = unsubscribe_check(token)
    current = selectors.channels_for(user)
    emailed = (Channel.DIGEST,) if kind == DIGEST else (Channel.EMAIL, Channel.DIGEST)
    targets = [*current] if kind == DIGEST else [kind]
    preferences_set(
        user=user,
        channels={k: Channel.IN_APP for k in targets if current[k] in emailed},
    )
    return user, kind


# --- The member's language and time zone -------------------------------------------------


def delivery_settings_set(*, user, language: str, time_zone: str) -> None:
    """The language of the member's emails and the time zone of their daily digest."""
    errors = {}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the offered languages.")
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Choose a time zone from the list.")
    if errors:
        raise ValidationError(errors)
    User.objects.filter(pk=user.pk).update(language=language, time_zone=time_zone)
    user.language, user.time_zone = language, time_zone
