"""Forwarding contact requests to the support system: a signed JSON webhook to
SUPPORT_WEBHOOK_URL (the protocol is in docs/insights-contact.md) and/or a text email to
SUPPORT_CONTACT_EMAIL. With neither configured a request stays PENDING, stored for the
support leads' list (/contact/requests/), and nothing retries it.

Sent once in effect: the task locks the request row and sends only a PENDING or FAILED
one. The webhook goes first and is idempotent on the request's uuid (Idempotency-Key),
so when the email then fails, the retry repeats only a request the support system
dedups; the email, sent last, goes out once."""

import json
import logging
import time
from datetime import datetime, timedelta
from email.headerregistry import Address

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from billing.gateway import LOCAL_HOSTS, sign
from branding import email as branded
from insights.models import ContactRequest

log = logging.getLogger(__name__)

State = ContactRequest.State

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# A PENDING request older than this lost its task (a broker outage): the sweep sends it.
LOST_AFTER = timedelta(minutes=2)
# FAILED requests are retried at most this often, the n-th retry 2^n minutes after the
# request came in; after that, support leads retry by hand from the list.
MAX_ATTEMPTS = 10
ERROR_MAX = ContactRequest._meta.get_field("last_error").max_length


class ForwardingError(Exception):
    """A target did not take the request; the message is short and has no personal data."""


def targets_configured() -> bool:
    return bool(settings.SUPPORT_WEBHOOK_URL or settings.SUPPORT_CONTACT_EMAIL)


@transaction.atomic
def contact_forward(*, request_id: int) -> None:
    """Locks the request row while sending. Idempotent: a FORWARDED request, one that is
    gone or past retention (blanked), is left alone; so is every request while no target
    is configured."""
    if not targets_configured():
        return
    contact_request = (
        ContactRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("forum", "user")
        .filter(pk=request_id, state__in=(State.PENDING, State.FAILED), purged_at__isnull=True)
        .first()
    )
    if contact_request is None:
        return
    contact_request.attempts += 1
    try:
        if settings.SUPPORT_WEBHOOK_URL:
            _webhook_send(contact_request)
        if settings.SUPPORT_CONTACT_EMAIL:
            _email_send(contact_request)
    except ForwardingError as error:
        log.warning("contact request %s not forwarded: %s", contact_request.pk, error)
        contact_request.state = State.FAILED
        contact_request.last_error = str(error)[:ERROR_MAX]
    else:
        contact_request.state = State.FORWARDED
        contact_request.forwarded_at = timezone.now()
        contact_request.last_error = ""
    contact_request.save(update_fields=["attempts", "state", "last_error", "forwarded_at"])


def payload(contact_request: ContactRequest) -> dict:
    forum = contact_request.forum
    return {
        "id": str(contact_request.uuid),
        "created_at": contact_request.created_at.isoformat(),
        "subject": contact_request.subject,
        "message": contact_request.message,
        "name": contact_request.name,
        "email": contact_request.email,
        "language": contact_request.language,
        "topic": {"slug": forum.slug, "name": forum.name} if forum else None,
        "member_url": _member_url(contact_request),
    }


def _member_url(contact_request: ContactRequest) -> str | None:
    user = contact_request.user
    return settings.SITE_URL.rstrip("/") + user.get_absolute_url() if user else None


def _client() -> httpx.Client:
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": "Peerdesk contact forwarding"},
    )


def _webhook_url() -> str:
    """The configured URL, if it is one we post to: https, or plain http to localhost."""
    url = settings.SUPPORT_WEBHOOK_URL
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or not parsed.host:
        raise ForwardingError("SUPPORT_WEBHOOK_URL is not a URL")
    if parsed.scheme != "https" and not (parsed.scheme == "http" and parsed.host in LOCAL_HOSTS):
        raise ForwardingError("SUPPORT_WEBHOOK_URL must use https (plain http only to localhost)")
    if not settings.SUPPORT_WEBHOOK_SECRET:
        raise ForwardingError("SUPPORT_WEBHOOK_SECRET is not set")
    return url


def _webhook_send(contact_request: ContactRequest) -> None:
    url = _webhook_url()
    body = json.dumps(payload(contact_request), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": str(contact_request.uuid),
        "X-Peerdesk-Timestamp": timestamp,
        "X-Peerdesk-Signature": sign(
            secret=settings.SUPPORT_WEBHOOK_SECRET, timestamp=timestamp, body=body
        ),
    }
    try:
        with _client() as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException as error:
        raise ForwardingError("webhook: no answer in time") from error
    except httpx.HTTPError as error:
        raise ForwardingError(f"webhook: could not connect ({type(error).__name__})") from error
    # 409: the support system has this request already (same Idempotency-Key).
    if not (response.is_success or response.status_code == httpx.codes.CONFLICT):
        raise ForwardingError(f"webhook: HTTP {response.status_code}")


def _email_send(contact_request: ContactRequest) -> None:
    # For the support team, in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "insights/emails/contact_request.txt",
            {"contact_request": contact_request, "member_url": _member_url(contact_request)},
        )
    try:
        EmailMessage(
            subject=branded.subject(contact_request.subject),
            from_email=branded.sender(),
            body=body,
            to=[settings.SUPPORT_CONTACT_EMAIL],
            reply_to=[str(Address(contact_request.name, addr_spec=contact_request.email))],
            headers={"X-Peerdesk-Contact-Request": str(contact_request.uuid)},
        ).send()
    except Exception as error:  # SMTP, connection and header errors alike
        log.exception("contact request %s: email not sent", contact_request.pk)
        raise ForwardingError(f"email: {type(error).__name__}") from error


def forward_due(*, now: datetime) -> list[int]:
    """Requests the sweep sends: PENDING ones whose task was lost, FAILED ones whose
    backoff has passed. None while no target is configured."""
    if not targets_configured():
        return []
    waiting = ContactRequest.objects.filter(purged_at__isnull=True)
    pending = waiting.filter(state=State.PENDING, created_at__lt=now - LOST_AFTER)
    failed = waiting.filter(state=State.FAILED, attempts__lt=MAX_ATTEMPTS)
    due = list(pending.order_by("created_at").values_list("pk", flat=True))
    for pk, attempts, created_at in failed.order_by("created_at").values_list(
        "pk", "attempts", "created_at"
    ):
        if created_at + timedelta(minutes=2**attempts) <= now:
            due.append(pk)
    return due


def contacts_purge(*, now: datetime) -> int:
    """Blanks name, email and message of every request older than CONTACT_RETENTION_DAYS,
    forwarded or not (one never delivered is not kept longer); subject, topic and state
    stay for the statistics."""
    cutoff = now - timedelta(days=settings.CONTACT_RETENTION_DAYS)
    return ContactRequest.objects.filter(purged_at__isnull=True, created_at__lt=cutoff).update(
        name="", email="", message="", purged_at=now
    )
