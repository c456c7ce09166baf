"""Real threads on PostgreSQL: a visit sent many times at once stores one request, and
forwarding tasks running at once send it once."""

import httpx
import pytest
from django.core import mail

from insights import tasks
from insights.contact import forwarding
from insights.contact import services as contact
from insights.models import ContactRequest, Event, EventKind
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


def _submit(visit: str) -> ContactRequest:
    return contact.contact_submit(
        visit=visit,
        session_key=f"session-{visit}",
        subject="My router keeps losing Wi-Fi",
        message="Every night at two the Wi-Fi drops.",
        name="Carla Customer",
        email="carla@example.com",
    )


def test_a_visit_sent_many_times_at_once_stores_one_request_and_one_event():
    visit = contact.visit_new()

    results = race([lambda: _submit(visit)] * THREADS)

    assert {result.pk for result in results} == {ContactRequest.objects.get().pk}
    assert Event.objects.filter(kind=EventKind.CONTACT_SUBMITTED).count() == 1


def test_forwarding_tasks_running_at_once_send_once(settings, monkeypatch):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    settings.SUPPORT_WEBHOOK_URL = "https://support.example.com/peerdesk"
    settings.SUPPORT_WEBHOOK_SECRET = "secret"
    posted = []

    def support_system(request: httpx.Request) -> httpx.Response:
        posted.append(request.headers["Idempotency-Key"])
        return httpx.Response(202)

    monkeypatch.setattr(
        forwarding, "_client", lambda: httpx.Client(transport=httpx.MockTransport(support_system))
    )
    request = ContactRequest.objects.create(
        name="Carla Customer",
        email="carla@example.com",
        subject="My router keeps losing Wi-Fi",
        message="Every night at two the Wi-Fi drops.",
    )

    race([lambda: tasks.contact_forward(request.pk)] * THREADS)

    assert posted == [str(request.uuid)]
    assert len(mail.outbox) == 1
    request.refresh_from_db()
    assert (request.state, request.attempts) == (ContactRequest.State.FORWARDED, 1)
