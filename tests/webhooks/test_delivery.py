"""Delivering events to a real HTTP receiver: signatures, retries with backoff, the same
delivery id on every attempt, timeouts, the delivery log, switching a failing endpoint
off, the sweep and the retention."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.fakes.webhook_receiver import CLIENT_TIMEOUT
from tests.webhooks.conftest import sweep_after_a_while, time_passes
from webhooks import delivery, services, tasks
from webhooks.events import emit
from webhooks.models import Attempt, Delivery, Event, EventType, Secret

pytestmark = pytest.mark.django_db

State = Delivery.State
ASKED = EventType.QUESTION_ASKED
_keys = iter(range(10**6))


def emitted(capture, **data) -> Delivery:
    """An event emitted in a transaction that commits (its task runs at once)."""
    with capture(execute=True):
        event = emit(event_type=ASKED, key=f"test:{next(_keys)}", data=lambda: data)
    return Delivery.objects.get(event=event)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(**data) -> Delivery:
        found = emitted(django_capture_on_commit_callbacks, **data)
        found.refresh_from_db()
        return found

    return run


def test_an_event_is_posted_after_commit_signed_as_documented(subscribe, receiver, send):
    endpoint = subscribe(ASKED)

    sent = send(question={"id": 7})

    [request] = receiver.requests
    assert request.signed_with == {endpoint.secrets.get().value}
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Peerdesk-Event"] == "question.asked"
    assert request.headers["X-Peerdesk-Delivery"] == str(sent.uid)
    assert request.headers["X-Peerdesk-Event-Id"] == str(sent.event.uid)
    assert request.json == {
        "id": str(sent.event.uid),
        "type": "question.asked",
        "version": 1,
        "created_at": sent.event.created_at.isoformat().replace("+00:00", "Z"),
        "data": {"question": {"id": 7}},
    }


def test_nothing_is_sent_before_the_transaction_commits(subscribe, receiver):
    subscribe(ASKED)

    emit(event_type=ASKED, key="test:rolled-back", data=lambda: {})

    assert receiver.requests == []  # the test's transaction never commits


def test_a_success_is_logged_with_status_duration_and_the_start_of_the_answer(
    subscribe, receiver, send
):
    subscribe(ASKED)

    sent = send()

    assert (sent.state, sent.attempts, sent.last_status) == (State.SUCCEEDED, 1, 200)
    assert sent.delivered_at is not None and sent.next_attempt_at is None
    [attempt] = sent.attempt_log.all()
    assert attempt.status == 200 and attempt.succeeded
    assert attempt.response == '{"received": true}'
    assert 0 <= attempt.duration_ms < CLIENT_TIMEOUT * 1000


def test_a_server_error_is_retried_after_a_growing_wait_with_the_same_delivery_id(
    subscribe, receiver, send
):
    endpoint = subscribe(ASKED)
    receiver.answers.extend(["fail", "fail"])

    sent = send()

    assert (sent.state, sent.attempts, sent.last_status) == (State.PENDING, 1, 500)
    first_wait = sent.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= delivery.backoff(1)
    assert sent.attempt_log.get().response == "Internal Server Error: the CRM is down"

    sweep_after_a_while()
    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == (State.PENDING, 2)
    assert sent.next_attempt_at - timezone.now() > delivery.backoff(1)

    sweep_after_a_while()
    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == (State.SUCCEEDED, 3)
    assert {r.delivery_id for r in receiver.requests} == {str(sent.uid)}
    assert len({r.body for r in receiver.requests}) == 1
    assert [p["delivery"] for p in receiver.processed] == [str(sent.uid)]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_the_waits_grow_fourfold_up_to_a_day():
    waits = [delivery.backoff(n) for n in range(1, delivery.MAX_ATTEMPTS)]

    assert waits[:4] == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert waits[-1] == timedelta(hours=24)


def test_a_duplicate_sent_after_a_lost_answer_is_dropped_by_the_receiver(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("hang")  # processed, but the answer comes too late

    sent = send()
    assert sent.state == State.PENDING
    assert sent.last_error == f"no answer within {CLIENT_TIMEOUT:g} s"
    sweep_after_a_while()

    sent.refresh_from_db()
    assert sent.state == State.SUCCEEDED
    assert len(receiver.processed) == 1 and receiver.duplicates == 1


def test_a_receiver_that_does_not_answer_in_time_costs_the_timeout(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("hang")

    sent = send()

    [attempt] = sent.attempt_log.all()
    assert attempt.status is None
    assert attempt.error == f"no answer within {CLIENT_TIMEOUT:g} s"
    assert CLIENT_TIMEOUT * 1000 <= attempt.duration_ms < CLIENT_TIMEOUT * 1000 * 3


def test_a_slow_answer_within_the_timeout_is_a_success_and_its_time_is_logged(
    subscribe, receiver, send
):
    subscribe(ASKED)
    receiver.answers.append("slow")

    sent = send()

    assert sent.state == State.SUCCEEDED
    assert sent.last_duration_ms >= receiver.slow_seconds * 1000


def test_a_large_answer_is_logged_only_by_its_start(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("big")

    sent = send()

    assert sent.state == State.SUCCEEDED
    assert sent.attempt_log.get().response == "x" * delivery.SNIPPET_CHARS


def test_a_redirect_is_not_followed_and_counts_as_a_failure(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("redirect")

    sent = send()

    assert (sent.state, sent.last_status) == (State.PENDING, 302)
    assert len(receiver.requests) == 1


def test_a_delivery_is_sent_once_however_often_its_task_runs(subscribe, receiver, send):
    subscribe(ASKED)
    sent = send()

    tasks.deliver(sent.pk)
    tasks.sweep()

    assert len(receiver.requests) == 1


def test_after_the_last_attempt_the_delivery_has_failed(subscribe, receiver, send, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 100
    subscribe(ASKED)
    receiver.answers.extend(["fail"] * delivery.MAX_ATTEMPTS)

    sent = send()
    for _ in range(delivery.MAX_ATTEMPTS):
        sweep_after_a_while()

    sent.refresh_from_db()
    assert (sent.state, sent.attempts, sent.next_attempt_at) == (
        State.FAILED,
        delivery.MAX_ATTEMPTS,
        None,
    )
    assert sent.attempt_log.count() == delivery.MAX_ATTEMPTS == len(receiver.requests)


def test_a_wrong_signature_is_refused_by_the_receiver_and_retried(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.secrets[:] = ["not-the-secret"]

    sent = send()

    assert (sent.state, sent.last_status) == (State.PENDING, 401)


# --- Rotating the secret -------------------------------------------------------------------


def test_during_a_rotation_requests_carry_both_signatures(subscribe, receiver, send, manager):
    endpoint = subscribe(ASKED)
    old = endpoint.secrets.get().value

    new = services.secret_rotate(endpoint=endpoint, by=manager).value
    receiver.secrets[:] = [old, new]
    send()

    [request] = receiver.requests
    assert request.signed_with == {old, new}
    first, second = request.headers["X-Peerdesk-Signature"].split(",")
    timestamp = request.headers["X-Peerdesk-Timestamp"].encode()
    newest = hmac.new(new.encode(), timestamp + b"." + request.body, hashlib.sha256)
    assert first == f"v1={newest.hexdigest()}"  # the current secret's comes first
    assert second.startswith("v1=")


def test_a_receiver_that_knows_only_the_old_or_only_the_new_secret_accepts_during_overlap(
    subscribe, receiver, send, manager
):
    endpoint = subscribe(ASKED)
    old = endpoint.secrets.get().value
    new = services.secret_rotate(endpoint=endpoint, by=manager).value

    receiver.secrets[:] = [old]
    assert send().state == State.SUCCEEDED
    receiver.secrets[:] = [new]
    assert send().state == State.SUCCEEDED


def test_after_the_overlap_only_the_new_secret_signs(subscribe, receiver, send, manager, settings):
    endpoint = subscribe(ASKED)
    old = endpoint.secrets.get().value
    hours = settings.WEBHOOKS_SECRET_OVERLAP_HOURS
    long_ago = timezone.now() - timedelta(hours=hours + 1)
    new = services.secret_rotate(endpoint=endpoint, by=manager, now=long_ago).value
    receiver.secrets[:] = [old, new]

    send()

    [request] = receiver.requests
    assert request.signed_with == {new}
    assert request.headers["X-Peerdesk-Signature"].count("v1=") == 1


def test_rotating_twice_leaves_two_valid_secrets_at_most(subscribe, manager):
    endpoint = subscribe(ASKED)

    services.secret_rotate(endpoint=endpoint, by=manager)
    newest = services.secret_rotate(endpoint=endpoint, by=manager)

    now = timezone.now()
    valid = Secret.objects.filter(endpoint=endpoint).exclude(expires_at__lte=now)
    assert valid.count() == 2
    assert valid.get(expires_at=None) == newest


# --- Switching a failing endpoint off ---------------------------------------------------------


def test_an_endpoint_failing_again_and_again_is_switched_off_and_its_managers_told(
    subscribe, receiver, send, manager, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    endpoint = subscribe(ASKED)
    receiver.answers.extend(["fail"] * 3)
    bystander = UserFactory()  # a member, who manages nothing

    send()
    send()
    with django_capture_on_commit_callbacks(execute=True):
        send()

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.consecutive_failures == 3
    assert endpoint.disabled_reason == "3 failed attempts in a row; the last: HTTP 500"
    [notice] = Notification.objects.filter(kind=Kind.WEBHOOK_DISABLED)
    assert notice.recipient == manager and bystander.notifications.count() == 0
    assert notice.data["url"] == f"/staff/webhooks/{endpoint.pk}/"
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert "“CRM” switched off after 3 failed attempts" in message.subject


def _switch(endpoint, manager, *, active: bool) -> None:
    """The manager switches the endpoint off or on, changing nothing else."""
    services.endpoint_update(
        endpoint=endpoint,
        by=manager,
        url=endpoint.url,
        description=endpoint.description,
        events=endpoint.events,
        active=active,
    )


def test_a_switched_off_endpoint_gets_nothing_until_it_is_on_again(
    subscribe, receiver, send, manager, settings
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 1
    endpoint = subscribe(ASKED)
    receiver.answers.append("fail")
    failed = send()
    _switch(endpoint, manager, active=False)
    sweep_after_a_while()
    assert len(receiver.requests) == 1

    _switch(endpoint, manager, active=True)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.disabled_at is None
    sweep_after_a_while()

    failed.refresh_from_db()
    assert failed.state == State.SUCCEEDED
    assert len(receiver.requests) == 2


def test_a_switched_off_endpoint_takes_no_new_events(subscribe, receiver, send, manager):
    endpoint = subscribe(ASKED)
    services.endpoint_update(
        endpoint=endpoint,
        by=manager,
        url=endpoint.url,
        description="",
        events=[ASKED],
        active=False,
    )

    event = emit(event_type=ASKED, key="test:off", data=lambda: {})

    assert event is None and not Event.objects.exists()


# --- Redelivery -----------------------------------------------------------------------------


def test_staff_redeliver_with_the_same_delivery_id_and_fresh_attempts(
    subscribe, receiver, send, manager, django_capture_on_commit_callbacks
):
    subscribe(ASKED)
    sent = send()

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_redeliver(delivery=sent, by=manager)

    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == (State.SUCCEEDED, 1)
    assert [r.delivery_id for r in receiver.requests] == [str(sent.uid)] * 2
    assert receiver.duplicates == 1
    assert sent.attempt_log.count() == 2


def test_a_member_cannot_redeliver(subscribe, send, member):
    subscribe(ASKED)
    sent = send()

    with pytest.raises(PermissionDenied):
        services.delivery_redeliver(delivery=sent, by=member)


# --- Addresses ----------------------------------------------------------------------------


def test_without_private_addresses_an_attempt_to_a_local_receiver_is_refused(
    subscribe, receiver, send, settings
):
    subscribe(ASKED)
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

    sent = send()

    assert receiver.requests == []
    assert sent.state == State.PENDING
    assert "private or local address (127.0.0.1)" in sent.last_error


# --- The sweep and the retention ----------------------------------------------------------------


def test_the_sweep_sends_a_delivery_whose_task_was_lost(subscribe, receiver):
    subscribe(ASKED)
    event = emit(event_type=ASKED, key="test:lost", data=lambda: {"question": {"id": 1}})
    assert receiver.requests == []  # its task was never enqueued (no commit)

    tasks.sweep()

    assert receiver.events("question.asked")[0]["id"] == str(event.uid)
    assert Delivery.objects.get().state == State.SUCCEEDED


def test_the_sweep_leaves_deliveries_that_are_not_due(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("fail")
    send()

    tasks.sweep()

    assert len(receiver.requests) == 1


def test_a_broker_error_is_logged_and_the_sweep_sends_later(
    subscribe, receiver, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    subscribe(ASKED)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.deliver, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            emit(event_type=ASKED, key="test:broker", data=lambda: {})
    assert "the sweep will" in caplog.text
    assert receiver.requests == []

    tasks.sweep()

    assert len(receiver.processed) == 1


def test_events_past_the_retention_go_with_their_log_and_expired_secrets(
    subscribe, receiver, send, manager, settings
):
    endpoint = subscribe(ASKED)
    old, recent = send(), send()
    Event.objects.filter(pk=old.event_id).update(
        created_at=timezone.now() - timedelta(days=settings.WEBHOOKS_RETENTION_DAYS + 1)
    )
    services.secret_rotate(endpoint=endpoint, by=manager, now=timezone.now() - timedelta(days=2))

    tasks.prune()

    assert list(Event.objects.all()) == [recent.event]
    assert list(Attempt.objects.values_list("delivery", flat=True)) == [recent.pk]
    assert endpoint.secrets.count() == 1


def test_the_body_is_the_same_bytes_on_every_attempt(subscribe, receiver, send):
    subscribe(ASKED)
    receiver.answers.append("fail")

    send(question={"title": "Über Router", "id": 3})
    time_passes()
    tasks.sweep()

    first, second = receiver.requests
    assert first.body == second.body
    assert json.loads(first.body)["data"]["question"]["title"] == "Über Router"
