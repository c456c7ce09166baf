"""What webhooks hold about a member, registered with core.gdpr: the events sent to the
brand's systems name members (payloads.MEMBER_KEYS) and copy public posts. Events are
deleted after WEBHOOKS_RETENTION_DAYS; on erasure, the member is cut out of the events
kept until then (docs/webhooks.md, "Personal data")."""

from core import gdpr
from webhooks import payloads
from webhooks.models import Event

# After the other apps' erasers and before accounts' login data (core.gdpr's bands).
ERASE_ORDER = 65


def _rewrite(user, change) -> None:
    events = list(Event.objects.filter(members=user).only("data"))
    for event in events:
        event.data = change(event.data, user.pk)
    Event.objects.bulk_update(events, ["data"])


@gdpr.eraser(order=ERASE_ORDER, models=[Event], option=gdpr.DELETE_POSTS)
def event_post_texts_erase(user) -> None:
    """The member chose to delete their posts: the events' copies of their texts go too.
    Runs before the member is cut out, while the events still say who wrote what."""
    _rewrite(user, payloads.without_texts_of)


@gdpr.eraser(order=ERASE_ORDER, models=[Event])
def events_scrub(user) -> None:
    """Every member object of theirs becomes null, as an erased author is shown; a retry
    sends the event so. member.erased, which names no member object, keeps their id."""
    _rewrite(user, payloads.without_member)
    Event.members.through.objects.filter(user=user).delete()


gdpr.not_exported(
    Event,
    reason="Copies of public activity (posts, acceptances) and of payouts sent to the "
    "brand's systems, kept for the delivery log; the member's export has the originals.",
)
