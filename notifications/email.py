"""Email for notifications: one message per notification, or one daily digest per member.

Consent (for community activity) and what the member may still see are checked when the
email is sent, under the row's lock; a row leaves "pending" or "digest" once, as sent or
skipped, so a task run twice sends one email. Emails are rendered in the member's
language and time zone, as plain text and HTML (templates/emails/), with a one-click
unsubscribe link and header (RFC 8058).
"""

import html
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import ngettext

from branding import email as branded
from branding import selectors as branding
from notifications import kinds, presentation, selectors, services
from notifications.models import EmailState, Kind, Notification
from privacy.selectors import has_consent

# A pending email this old lost its task (a broker error, a lost message).
LOST_AFTER = timedelta(minutes=5)
SWEEP_LIMIT = 1000
EXCERPT_CHARS = 280


def _locked(*, skip_locked: bool = False) -> QuerySet:
    return Notification.objects.select_for_update(
        of=("self",), skip_locked=skip_locked
    ).select_related("recipient", "actor", "question__forum", "answer", "comment")


def _consents(user, notifications: list[Notification]) -> bool:
    """Whether the member consents to community email; asked only if it matters."""
    if not any(kinds.needs_consent(n.kind) for n in notifications):
        return True
    return has_consent(user=user, purpose_key=kinds.CONSENT_PURPOSE)


def _may_email(notification: Notification, *, consent: bool) -> bool:
    """Community news needs consent; all news needs content the member may still see,
    except a moderation decision, which is often about content that is hidden now."""
    if notification.kind == Kind.MODERATION:
        return notification.recipient.is_active
    return selectors.can_see(notification) and (
        consent or not kinds.needs_consent(notification.kind)
    )


def _finish(notifications: list[Notification], state: str, now: datetime) -> None:
    for notification in notifications:
        notification.email_state = state
        notification.emailed_at = now if state == EmailState.SENT else None
        notification.data = kinds.public_data(notification.data)
    Notification.objects.bulk_update(notifications, ["email_state", "emailed_at", "data"])


@transaction.atomic
def notification_send(*, notification_id: int) -> str | None:
    """Locks the row; sends only a pending one. Returns the state it ended in, or None
    when there was nothing to do."""
    notification = _locked().filter(pk=notification_id, email_state=EmailState.PENDING).first()
    if notification is None:
        return None
    consent = _consents(notification.recipient, [notification])
    state = EmailState.SENT if _may_email(notification, consent=consent) else EmailState.SKIPPED
    if state == EmailState.SENT:
        _single(notification).send()
    _finish([notification], state, timezone.now())
    return state


def pending_lost(*, now: datetime) -> list[int]:
    """Pending emails older than LOST_AFTER, oldest first."""
    lost = Notification.objects.filter(
        email_state=EmailState.PENDING, created_at__lte=now - LOST_AFTER
    )
    return list(lost.order_by("created_at").values_list("pk", flat=True)[:SWEEP_LIMIT])


# --- The daily digest ---------------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def digest_due(*, now: datetime) -> list[int]:
    """The members with notifications waiting for the digest for whom it is now the
    digest hour (PEERDESK["DIGEST_HOUR"]) in their own time zone."""
    hour = settings.PEERDESK["DIGEST_HOUR"]
    waiting = Notification.objects.filter(email_state=EmailState.DIGEST)
    zones = waiting.values_list("recipient__time_zone", flat=True).distinct()
    due = [zone for zone in zones if now.astimezone(_zone(zone)).hour == hour]
    members = waiting.filter(recipient__time_zone__in=due).values_list("recipient_id", flat=True)
    return sorted(set(members))


@transaction.atomic
def digest_send(*, user_id: int) -> int:
    """One email with every notification waiting for the member's digest. Rows another
    worker holds are skipped (skip_locked), so two runs never send a row twice.
    Returns how many it sent."""
    waiting = list(
        _locked(skip_locked=True)
        .filter(recipient_id=user_id, email_state=EmailState.DIGEST)
        .order_by("created_at", "pk")
    )
    if not waiting:
        return 0
    consent = _consents(waiting[0].recipient, waiting)
    sendable = [n for n in waiting if _may_email(n, consent=consent)]
    if sendable:
        _digest(waiting[0].recipient, sendable).send()
    now = timezone.now()
    _finish(sendable, EmailState.SENT, now)
    _finish([n for n in waiting if n not in sendable], EmailState.SKIPPED, now)
    return len(sendable)


# --- Rendering ------------------------------------------------------------------------------


@contextmanager
def _locale(user) -> Iterator[None]:
    with translation.override(user.language), timezone.override(_zone(user.time_zone)):
        yield


def _excerpt(notification: Notification) -> str:
    """What the post says; none for a moderation decision (it may be what was hidden:
    someone's personal data is not sent around by email)."""
    post = notification.comment or notification.answer or notification.question
    if post is None or notification.kind == Kind.MODERATION:
        return ""
    return Truncator(html.unescape(strip_tags(post.body_html)).strip()).chars(EXCERPT_CHARS)


def _item(notification: Notification) -> dict:
    url = notification.data.get(kinds.SECRET_URL) or presentation.absolute(
        presentation.link(notification)
    )
    return {
        "notification": notification,
        "summary": presentation.summary(notification),
        "excerpt": _excerpt(notification),
        "url": url,
    }


def _message(user, *, subject: str, template: str, unsubscribe: str, context: dict):
    """Call in the member's locale (_locale)."""
    url = presentation.absolute(
        reverse(
            "notifications:unsubscribe",
            args=[services.unsubscribe_token(user=user, kind=unsubscribe)],
        )
    )
    context |= {
        "brand": branding.current(),
        "recipient": user,
        "site_url": settings.SITE_URL.rstrip("/"),
        "preferences_url": presentation.absolute(reverse("notifications:preferences")),
        "unsubscribe_url": url,
    }
    templates = [f"emails/{template}", "emails/base"]
    message = EmailMultiAlternatives(
        subject=branded.subject(subject),
        from_email=branded.sender(),
        body=render_to_string([f"{name}.txt" for name in templates], context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string([f"{name}.html" for name in templates], context), "text/html"
    )
    return message


def _single(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    with _locale(user):
        item = _item(notification)
        return _message(
            user,
            subject=item["summary"],
            template=notification.kind,
            unsubscribe=notification.kind,
            context={"item": item},
        )


def _digest(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    with _locale(user):
        items = [_item(n) for n in notifications]
        subject = ngettext(
            "Your daily summary: %(count)d notification",
            "Your daily summary: %(count)d notifications",
            len(items),
        ) % {"count": len(items)}
        return _message(
            user,
            subject=subject,
            template="digest",
            unsubscribe=services.DIGEST,
            context={"items": items},
        )
