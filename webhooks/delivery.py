"""Sending a delivery: one signed POST per attempt, retried with exponential backoff.

    pending -> succeeded (a 2xx answer)
    pending -> pending (any other answer, or none: tried again after BACKOFF)
            -> failed (after MAX_ATTEMPTS; staff may redeliver)

An attempt is marked (attempts counted, next attempt scheduled) and committed BEFORE the
request: a worker that dies mid-request leaves a delivery that is due again later, and
the sweep (every minute, which also sends the retries when they are due) picks it up.
Every attempt carries the same delivery id, so the receiver drops a duplicate.

Each failed attempt counts against its endpoint; WEBHOOKS_DISABLE_AFTER_FAILURES in a
row switch it off (its pending deliveries wait, and are sent once staff switch it on
again) and the staff who manage webhooks are told."""

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.signing import signature
from notifications.models import Kind
from notifications.services import notify
from webhooks import addresses, payloads, selectors
from webhooks.models import Attempt, Delivery, Endpoint, Event, Secret

log = logging.getLogger(__name__)

State = Delivery.State
MAX_ATTEMPTS = 8
# The wait after attempt n: 1, 4, 16, 64 minutes... at most a day; the eighth attempt is
# about 23 hours after the first. The first wait is longer than an attempt may take
# (WEBHOOKS_TIMEOUT), so the sweep never resends what a worker is still sending.
FIRST_WAIT = timedelta(minutes=1)
FACTOR = 4
LONGEST_WAIT = timedelta(hours=24)
SNIPPET_CHARS = 1000
_SNIPPET_BYTES = 4 * SNIPPET_CHARS  # UTF-8: at most 4 bytes a character
SWEEP_LIMIT = 1000
USER_AGENT = "Peerdesk-Webhooks/1"


def backoff(attempts: int) -> timedelta:
    return min(FIRST_WAIT * FACTOR ** (attempts - 1), LONGEST_WAIT)


def envelope(event: Event) -> dict:
    return {
        "id": str(event.uid),
        "type": event.type,
        "version": event.version,
        "created_at": payloads.time(event.created_at),
        "data": event.data,
    }


def body(event: Event) -> bytes:
    """The JSON sent for an event: the same bytes on every attempt and to every endpoint."""
    content = json.dumps(envelope(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return content.encode()


def signatures(*, secrets: list[str], timestamp: str, content: bytes) -> str:
    """The X-Peerdesk-Signature header: one "v1=<hex>" per active secret, newest first."""
    return ",".join(
        f"v1={signature(secret=secret, timestamp=timestamp, body=content)}" for secret in secrets
    )


def headers(*, delivery: Delivery, secrets: list[str], content: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Peerdesk-Event": delivery.event.type,
        "X-Peerdesk-Event-Id": str(delivery.event.uid),
        "X-Peerdesk-Delivery": str(delivery.uid),
        "X-Peerdesk-Timestamp": timestamp,
        "X-Peerdesk-Signature": signatures(secrets=secrets, timestamp=timestamp, content=content),
    }


@dataclass(frozen=True)
class Result:
    status: int | None = None
    response: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _snippet(response: httpx.Response, *, deadline: float) -> str:
    """The start of the body: a receiver that streams a large or endless answer costs
    neither memory nor more than the timeout."""
    read = b""
    for chunk in response.iter_bytes(chunk_size=1024):
        read += chunk
        if len(read) >= _SNIPPET_BYTES or time.monotonic() > deadline:
            break
    return read.decode("utf-8", errors="replace")[:SNIPPET_CHARS]


def post(url: str, *, content: bytes, headers: dict[str, str]) -> Result:
    """One request; never raises. Redirects are not followed (a 3xx is a failure)."""
    limit = settings.WEBHOOKS_TIMEOUT
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = addresses.target(url)
    except addresses.Refused as refused:
        return Result(error=str(refused.message)[:300], duration_ms=elapsed())
    extensions = {"sni_hostname": target.server_name} if target.server_name else {}
    try:
        with httpx.Client(
            timeout=httpx.Timeout(limit, connect=min(limit, 3.0)),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: connect to the checked address
        ) as client:
            request = client.build_request(
                "POST",
                target.url,
                content=content,
                headers={**headers, "Host": target.host},
                extensions=extensions,
            )
            response = client.send(request, stream=True)
            try:
                snippet = _snippet(response, deadline=started + limit)
            finally:
                response.close()
    except httpx.TimeoutException:
        return Result(error=f"no answer within {limit:g} s", duration_ms=elapsed())
    except httpx.HTTPError as error:
        return Result(error=f"could not connect ({type(error).__name__})", duration_ms=elapsed())
    return Result(status=response.status_code, response=snippet, duration_ms=elapsed())


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """Makes the attempt if the delivery is due and its endpoint active; a delivery
    another worker holds is skipped. Returns the state it ended in, or None when there
    was nothing to do."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            .filter(
                pk=delivery_id,
                state=State.PENDING,
                next_attempt_at__lte=now,
                endpoint__is_active=True,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        secrets = list(
            selectors.valid_secrets(endpoint_id=delivery.endpoint_id, now=now).values_list(
                "value", flat=True
            )
        )
    content = body(delivery.event)
    started_at = timezone.now()
    result = post(
        delivery.endpoint.url,
        content=content,
        headers=headers(delivery=delivery, secrets=secrets, content=content),
    )
    if not result.ok:
        log.warning(
            "webhook delivery %s attempt %s: %s",
            delivery.uid,
            delivery.attempts,
            result.error or f"HTTP {result.status}",
        )
    return _record(delivery=delivery, attempt=delivery.attempts, at=started_at, result=result)


@transaction.atomic
def _record(*, delivery: Delivery, attempt: int, at: datetime, result: Result) -> str | None:
    """Logs the attempt and applies it, under the endpoint's and the delivery's locks (in
    that order). A success always counts; a failure moves the delivery on only if it is
    still its latest attempt (staff may have redelivered it meanwhile). Nothing when the
    endpoint or the event was deleted meanwhile."""
    endpoint = Endpoint.objects.select_for_update().filter(pk=delivery.endpoint_id).first()
    row = Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
    if endpoint is None or row is None:
        return None
    Attempt.objects.create(
        delivery=row,
        started_at=at,
        status=result.status,
        response=result.response,
        error=result.error,
        duration_ms=result.duration_ms,
    )
    now = timezone.now()
    if result.ok:
        if row.state != State.SUCCEEDED:
            row.state, row.delivered_at, row.next_attempt_at = State.SUCCEEDED, now, None
        endpoint.consecutive_failures = 0
        endpoint.save(update_fields=["consecutive_failures"])
    else:
        if row.state == State.PENDING and row.attempts == attempt:
            if attempt >= MAX_ATTEMPTS:
                row.state, row.next_attempt_at = State.FAILED, None
            else:
                row.next_attempt_at = now + backoff(attempt)
        _failure_count(endpoint, result=result, now=now)
    row.last_status, row.last_error = result.status, result.error
    row.last_duration_ms = result.duration_ms
    row.save(
        update_fields=[
            "state",
            "delivered_at",
            "next_attempt_at",
            "last_status",
            "last_error",
            "last_duration_ms",
        ]
    )
    return row.state


def _failure_count(endpoint: Endpoint, *, result: Result, now: datetime) -> None:
    endpoint.consecutive_failures += 1
    fields = ["consecutive_failures"]
    limit = settings.WEBHOOKS_DISABLE_AFTER_FAILURES
    if endpoint.is_active and endpoint.consecutive_failures >= limit:
        endpoint.is_active, endpoint.disabled_at = False, now
        last = result.error or f"HTTP {result.status}"
        endpoint.disabled_reason = f"{limit} failed attempts in a row; the last: {last}"[:300]
        fields += ["is_active", "disabled_at", "disabled_reason"]
        _tell_staff(endpoint, now=now)
        log.error("webhook endpoint %s switched off: %s", endpoint.pk, endpoint.disabled_reason)
    endpoint.save(update_fields=fields)


def _tell_staff(endpoint: Endpoint, *, now: datetime) -> None:
    """Everyone who may switch it on again hears of it (notifications, email by default)."""
    stamp = f"{now.timestamp():.0f}"
    for user in selectors.endpoint_managers():
        notify(
            recipient=user,
            kind=Kind.WEBHOOK_DISABLED,
            key=f"webhook-disabled:{endpoint.pk}:{stamp}:{user.pk}",
            data={
                "endpoint": str(endpoint)[:200],
                "failures": endpoint.consecutive_failures,
                "url": reverse("webhooks:endpoint", args=[endpoint.pk]),
            },
        )


# --- Periodic ------------------------------------------------------------------------


def deliveries_due(*, now: datetime) -> list[int]:
    """Pending deliveries of active endpoints whose attempt is due: retries, and first
    attempts whose task was lost. Most overdue first."""
    due = Delivery.objects.filter(
        state=State.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
    )
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_LIMIT])


def retention_prune(*, now: datetime) -> int:
    """Deletes events older than WEBHOOKS_RETENTION_DAYS, with their deliveries and
    attempts, whatever their state (an endpoint switched off that long misses them), and
    secrets that expired. Returns how many events."""
    before = now - timedelta(days=settings.WEBHOOKS_RETENTION_DAYS)
    Secret.objects.filter(expires_at__lte=now).delete()
    _total, by_model = Event.objects.filter(created_at__lt=before).delete()
    return by_model.get(Event._meta.label, 0)
