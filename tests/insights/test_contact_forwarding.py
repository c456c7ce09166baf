"""Forwarding contact requests to the support system: by email and by a signed webhook,
once, with retries after failures and after a broker outage, and the retention purge.
Only the support system's HTTP endpoint is mocked (httpx.MockTransport); mail goes to
Django's outbox."""

import hashlib
import hmac
import json
import time
from datetime import timedelta
from email import message_from_bytes, policy

import httpx
import pytest
from django.core import mail
from django.utils import timezone

from insights import tasks
from insights.contact import forwarding
from insights.models import ContactRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

State = ContactRequest.State
URL = "https://support.example.com/peerdesk"
SECRET = "test-support-secret"


class FakeSupportSystem:
    """Checks each request as docs/insights-contact.md tells a support team to; answers
    `status`, or raises `error` as the connection would."""

    def __init__(self):
        self.status = 200
        self.error: Exception | None = None
        self.received: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.error is not None:
            raise self.error
        body = request.content
        timestamp = request.headers["X-Peerdesk-Timestamp"]
        expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        assert hmac.compare_digest(
            request.headers["X-Peerdesk-Signature"], f"sha256={expected.hexdigest()}"
        )
        assert abs(time.time() - int(timestamp)) < 300
        self.received.append(
            {
                "key": request.headers["Idempotency-Key"],
                "url": str(request.url),
                "payload": json.loads(body),
            }
        )
        return httpx.Response(self.status)


@pytest.fixture
def support(settings, monkeypatch) -> FakeSupportSystem:
    settings.SUPPORT_WEBHOOK_URL = URL
    settings.SUPPORT_WEBHOOK_SECRET = SECRET
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    system = FakeSupportSystem()
    monkeypatch.setattr(
        forwarding, "_client", lambda: httpx.Client(transport=httpx.MockTransport(system))
    )
    return system


def stored(**fields) -> ContactRequest:
    values = {
        "name": "Carla Customer",
        "email": "carla@example.com",
        "subject": "My router keeps losing Wi-Fi",
        "message": "Every night at two the Wi-Fi drops.",
        "language": "de",
    } | fields
    return ContactRequest.objects.create(**values)


def reply_to(email) -> tuple[str, str]:
    """The Reply-To address as a mail program reads it from the message sent."""
    parsed = message_from_bytes(email.message().as_bytes(), policy=policy.default)
    [address] = parsed["Reply-To"].addresses
    return address.display_name, address.addr_spec


def sweep_at(monkeypatch, when) -> None:
    monkeypatch.setattr(tasks.timezone, "now", lambda: when)
    tasks.contact_sweep()


def test_a_request_is_forwarded_by_signed_webhook_and_by_email(support, forum, settings):
    member = UserFactory()
    request = stored(forum=forum, user=member, name="Müller, Carla")

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert (request.state, request.attempts, request.last_error) == (State.FORWARDED, 1, "")
    assert request.forwarded_at is not None
    [sent] = support.received
    assert sent["key"] == str(request.uuid)
    assert sent["payload"] == {
        "id": str(request.uuid),
        "created_at": request.created_at.isoformat(),
        "subject": "My router keeps losing Wi-Fi",
        "message": "Every night at two the Wi-Fi drops.",
        "name": "Müller, Carla",
        "email": "carla@example.com",
        "language": "de",
        "topic": {"slug": forum.slug, "name": forum.name},
        "member_url": settings.SITE_URL.rstrip("/") + member.get_absolute_url(),
    }
    [email] = mail.outbox
    assert email.subject == "[Peerdesk] My router keeps losing Wi-Fi"
    assert email.to == ["support@example.com"]
    assert reply_to(email) == ("Müller, Carla", "carla@example.com")
    assert "Every night at two the Wi-Fi drops." in email.body
    assert forum.name in email.body
    assert member.get_absolute_url() in email.body


def test_running_the_task_twice_sends_once(support):
    request = stored()

    tasks.contact_forward(request.pk)
    tasks.contact_forward(request.pk)

    assert len(support.received) == 1 and len(mail.outbox) == 1


def test_email_alone_is_enough(settings):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    request = stored()

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert request.state == State.FORWARDED
    assert reply_to(mail.outbox[0]) == ("Carla Customer", "carla@example.com")


def test_without_a_target_the_request_stays_stored_and_pending(monkeypatch):
    request = stored()

    tasks.contact_forward(request.pk)
    sweep_at(monkeypatch, timezone.now() + timedelta(hours=1))

    request.refresh_from_db()
    assert (request.state, request.attempts) == (State.PENDING, 0)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        (500, None, "webhook: HTTP 500"),
        (422, None, "webhook: HTTP 422"),
        (302, None, "webhook: HTTP 302"),
        (200, httpx.ConnectTimeout("slow"), "webhook: no answer in time"),
        (200, httpx.ConnectError("refused"), "webhook: could not connect (ConnectError)"),
    ],
)
def test_a_failure_marks_the_request_failed_and_sends_no_email(support, status, error, reason):
    support.status, support.error = status, error
    request = stored()

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert (request.state, request.attempts, request.last_error) == (State.FAILED, 1, reason)
    assert request.forwarded_at is None
    assert mail.outbox == []


def test_a_conflict_means_the_support_system_has_it_already(support):
    support.status = 409
    request = stored()

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert request.state == State.FORWARDED


def test_an_insecure_webhook_url_is_refused(support, settings):
    settings.SUPPORT_WEBHOOK_URL = "http://support.example.com/hook"
    request = stored()

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert request.state == State.FAILED and "https" in request.last_error
    assert support.received == []


def test_a_failed_email_fails_the_request(support, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    request = stored()

    tasks.contact_forward(request.pk)

    request.refresh_from_db()
    assert request.state == State.FAILED
    assert request.last_error.startswith("email: ")


def test_the_sweep_retries_a_failed_request_after_its_backoff(support, monkeypatch):
    support.status = 503
    request = stored()
    tasks.contact_forward(request.pk)
    support.status = 200

    sweep_at(monkeypatch, request.created_at + timedelta(minutes=1))
    request.refresh_from_db()
    assert request.state == State.FAILED  # 2^1 minutes have not passed

    sweep_at(monkeypatch, request.created_at + timedelta(minutes=2))
    request.refresh_from_db()
    assert (request.state, request.attempts) == (State.FORWARDED, 2)
    assert len(support.received) == 2  # the same key twice: the support system dedups
    assert {sent["key"] for sent in support.received} == {str(request.uuid)}
    assert len(mail.outbox) == 1


def test_the_sweep_gives_up_after_ten_attempts(support, monkeypatch):
    request = stored(state=State.FAILED, attempts=forwarding.MAX_ATTEMPTS)

    sweep_at(monkeypatch, request.created_at + timedelta(days=30))

    request.refresh_from_db()
    assert request.attempts == forwarding.MAX_ATTEMPTS
    assert support.received == []


def test_the_sweep_forwards_a_pending_request_whose_task_was_lost(support, monkeypatch):
    request = stored()

    sweep_at(monkeypatch, request.created_at + timedelta(minutes=1))
    assert support.received == []  # its task may still be on the way

    sweep_at(monkeypatch, request.created_at + forwarding.LOST_AFTER + timedelta(seconds=1))
    request.refresh_from_db()
    assert request.state == State.FORWARDED
    assert len(mail.outbox) == 1


def test_a_sweep_twice_sends_once(support, monkeypatch):
    request = stored()
    later = request.created_at + timedelta(minutes=5)

    sweep_at(monkeypatch, later)
    sweep_at(monkeypatch, later)

    assert len(support.received) == 1 and len(mail.outbox) == 1


def test_personal_data_of_every_request_is_blanked_after_the_retention_period(
    settings, monkeypatch
):
    settings.CONTACT_RETENTION_DAYS = 90
    now = timezone.now()
    old = stored(state=State.FORWARDED, created_at=now - timedelta(days=91))
    recent = stored(state=State.FORWARDED, created_at=now - timedelta(days=89))
    never_sent = stored(state=State.FAILED, created_at=now - timedelta(days=91))
    waiting = stored(state=State.PENDING, created_at=now - timedelta(days=89))

    sweep_at(monkeypatch, now)

    for blanked in (old, never_sent):
        blanked.refresh_from_db()
        assert (blanked.name, blanked.email, blanked.message, blanked.purged_at) == (
            "",
            "",
            "",
            now,
        )
        assert blanked.subject == "My router keeps losing Wi-Fi"
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.purged_at is None and kept.message


def test_a_request_stored_while_the_broker_was_down_is_forwarded_by_the_sweep(
    client, support, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    client.get("/contact/")
    with monkeypatch.context() as patched:
        patched.setattr(tasks.contact_forward, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/contact/",
                {
                    "subject": "My router keeps losing Wi-Fi",
                    "name": "Carla Customer",
                    "email": "carla@example.com",
                    "message": "Every night at two the Wi-Fi drops.",
                    "visit": client.session["insights_contact_visit"],
                },
            )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.state == State.PENDING and support.received == []

    sweep_at(monkeypatch, timezone.now() + forwarding.LOST_AFTER + timedelta(seconds=1))

    request.refresh_from_db()
    assert request.state == State.FORWARDED
    assert len(support.received) == 1 and len(mail.outbox) == 1
