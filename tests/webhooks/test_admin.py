"""The admin is another door to the same rules: endpoints are checked and saved by the
service, secrets rotated and deliveries redelivered by actions that call it."""

import pytest
from django.urls import reverse

from webhooks.events import emit
from webhooks.models import Delivery, Endpoint, EventType

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")
ASKED = EventType.QUESTION_ASKED
NO_SECRET_ROWS = {"secrets-TOTAL_FORMS": "0", "secrets-INITIAL_FORMS": "0"}


def _form(**changes) -> dict:
    return {
        "url": "https://crm.example.com/hooks",
        "description": "CRM",
        "events": [ASKED],
        "is_active": "on",
        **NO_SECRET_ROWS,
    } | changes


def test_an_endpoint_added_in_the_admin_gets_its_secret(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # no name is resolved in tests

    response = admin_client.post(ADD, _form())

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["question.asked"] and endpoint.is_active
    assert endpoint.secrets.get().value.startswith("whsec_")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"url": "https://192.168.0.10/hook"}, "private or local address (192.168.0.10)"),
        ({"url": "http://crm.example.com/hooks"}, "The URL must start with https://."),
        ({"events": []}, "This field is required."),
    ],
)
def test_the_admin_refuses_what_the_pages_refuse(admin_client, settings, changes, error):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

    response = admin_client.post(ADD, _form(**changes))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Endpoint.objects.exists()


def test_switching_an_endpoint_on_in_the_admin_clears_its_failures(admin_client, subscribe):
    endpoint = subscribe(ASKED)
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, consecutive_failures=20)

    admin_client.post(
        reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]), _form(url=endpoint.url)
    )

    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
    assert endpoint.secrets.count() == 1


def test_the_rotate_action_makes_a_new_secret(admin_client, subscribe):
    endpoint = subscribe(ASKED)

    admin_client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
    )

    assert endpoint.secrets.count() == 2
    assert endpoint.secrets.filter(expires_at=None).count() == 1


def test_the_redeliver_action_sends_again(
    admin_client, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(ASKED)
    with django_capture_on_commit_callbacks(execute=True):
        emit(event_type=ASKED, key="admin:1", data=lambda: {})
    sent = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "redeliver", "_selected_action": [sent.pk]},
        )

    assert [r.delivery_id for r in receiver.requests] == [str(sent.uid)] * 2


def test_the_delivery_log_is_read_only_in_the_admin(admin_client, subscribe, receiver):
    subscribe(ASKED)
    emit(event_type=ASKED, key="admin:2", data=lambda: {})
    sent = Delivery.objects.get()

    page = admin_client.get(reverse("admin:webhooks_delivery_change", args=[sent.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
