"""/staff/webhooks/: community managers list, add and edit endpoints, see and rotate their
secrets, read the delivery log and redeliver. Bad input is a form error that changes
nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, with_totp
from webhooks.events import emit
from webhooks.models import Delivery, Endpoint, EventType, Secret

pytestmark = pytest.mark.django_db

LIST = reverse("webhooks:list")
CREATE = reverse("webhooks:create")
ASKED = EventType.QUESTION_ASKED


def _form(**changes) -> dict:
    return {"url": "https://crm.example.com/hooks", "description": "CRM", "events": [ASKED]} | (
        changes
    )


def _endpoint_page(endpoint: Endpoint) -> str:
    return reverse("webhooks:endpoint", args=[endpoint.pk])


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [None, "Support leads", "Moderators"])
def test_only_community_managers_see_the_webhooks(client, role):
    client.force_login(with_totp(UserFactory(role=role)))

    response = client.get(LIST)

    assert response.status_code == 403
    assert "Only community managers can manage webhooks." in response.content.decode()


def test_the_list_shows_each_endpoint_and_its_state(manager_client, subscribe):
    subscribe(ASKED)

    page = manager_client.get(LIST).content.decode()

    assert "CRM" in page and "question.asked" in page and "Add an endpoint" in page


def test_adding_an_endpoint_gives_it_a_secret_shown_on_its_page(manager_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # no name is resolved in tests

    response = manager_client.post(CREATE, _form(events=[ASKED, EventType.FLAG_RAISED]))

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == _endpoint_page(endpoint)
    assert (endpoint.url, endpoint.description) == ("https://crm.example.com/hooks", "CRM")
    assert endpoint.events == ["question.asked", "flag.raised"] and endpoint.is_active
    secret = endpoint.secrets.get()
    assert secret.value.startswith("whsec_") and len(secret.value) > 40
    assert secret.value in manager_client.get(_endpoint_page(endpoint)).content.decode()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"url": "not a url"}, "Enter a valid URL."),
        ({"url": ""}, "This field is required."),
        ({"events": []}, "Choose at least one event."),
        ({"events": ["question.deleted"]}, "Select a valid choice."),
        ({"url": "http://crm.example.com/hooks"}, "The URL must start with https://."),
        ({"url": "https://me:pw@crm.example.com/"}, "Leave the user name and password out"),
        ({"url": "https://127.0.0.1:6379/"}, "leads to a private or local address (127.0.0.1)"),
        ({"url": "https://10.1.2.3/hook"}, "leads to a private or local address (10.1.2.3)"),
        ({"url": "https://[::1]/hook"}, "leads to a private or local address (::1)"),
        ({"url": "https://169.254.169.254/latest"}, "private or local address"),
        ({"url": "https://localhost/hook"}, "localhost leads to a private or local address"),
        # IPv6 that carries an IPv4 address (IPv4-compatible, SIIT, NAT64, 6to4)
        ({"url": "https://[::127.0.0.1]/hook"}, "private or local address"),
        ({"url": "https://[::ffff:0:7f00:1]/hook"}, "private or local address"),
        ({"url": "https://[64:ff9b::a9fe:a9fe]/latest"}, "private or local address"),
        ({"url": "https://[2002:7f00:1::]/hook"}, "private or local address"),
        ({"description": "x" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_is_a_form_error_and_adds_nothing(manager_client, settings, changes, error):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

    response = manager_client.post(CREATE, _form(**changes))

    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not Endpoint.objects.exists()


def test_editing_switches_an_endpoint_off_and_on(manager_client, subscribe):
    endpoint = subscribe(ASKED)
    edit = reverse("webhooks:edit", args=[endpoint.pk])
    assert 'value="question.asked"' in manager_client.get(edit).content.decode()

    manager_client.post(edit, _form(url=endpoint.url))

    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason.startswith("switched off by")
    assert "switched off" in manager_client.get(_endpoint_page(endpoint)).content.decode()

    manager_client.post(edit, _form(url=endpoint.url, active="on", description="Tickets"))

    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.description == "Tickets"


def test_an_edit_with_bad_input_changes_nothing(manager_client, subscribe):
    endpoint = subscribe(ASKED)

    response = manager_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]), _form(url=endpoint.url, events=[])
    )

    assert response.status_code == 400
    endpoint.refresh_from_db()
    assert endpoint.events == ["question.asked"] and endpoint.is_active


def test_rotating_shows_both_secrets_until_the_old_one_expires(manager_client, subscribe):
    endpoint = subscribe(ASKED)
    old = endpoint.secrets.get().value

    response = manager_client.post(reverse("webhooks:rotate", args=[endpoint.pk]), follow=True)

    page = response.content.decode()
    new = endpoint.secrets.get(expires_at=None).value
    assert new != old and old in page and new in page
    assert "Previous secret, valid until" in page
    assert "for 24 hours" in page


def test_staff_who_may_only_look_see_no_secret_and_cannot_rotate(client, subscribe):
    endpoint = subscribe(ASKED)
    viewer = with_totp(UserFactory())
    viewer.user_permissions.add(Permission.objects.get(codename="view_endpoint"))
    client.force_login(viewer)

    page = client.get(_endpoint_page(endpoint)).content.decode()
    response = client.post(reverse("webhooks:rotate", args=[endpoint.pk]))

    assert endpoint.secrets.get().value not in page
    assert "Rotate the secret" not in page
    assert response.status_code == 403
    assert Secret.objects.count() == 1


def test_the_delivery_log_shows_each_attempt_and_the_body(
    manager_client, subscribe, receiver, django_capture_on_commit_callbacks
):
    endpoint = subscribe(ASKED)
    receiver.answers.append("fail")
    with django_capture_on_commit_callbacks(execute=True):
        emit(event_type=ASKED, key="page:1", data=lambda: {"question": {"id": 12}})
    sent = Delivery.objects.get()

    log = manager_client.get(_endpoint_page(endpoint)).content.decode()
    page = manager_client.get(reverse("webhooks:delivery", args=[sent.pk])).content.decode()

    assert "HTTP 500" in log and "next attempt at" in log
    assert str(sent.uid) in page
    assert "Internal Server Error: the CRM is down" in page
    assert "&quot;question&quot;: {" in page


def test_redelivering_from_the_page_sends_it_again(
    manager_client, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(ASKED)
    with django_capture_on_commit_callbacks(execute=True):
        emit(event_type=ASKED, key="page:2", data=lambda: {})
    sent = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("webhooks:redeliver", args=[sent.pk]))

    assert response.status_code == 302
    assert [r.delivery_id for r in receiver.requests] == [str(sent.uid)] * 2


def test_redelivering_to_an_endpoint_that_is_off_says_so(manager_client, subscribe, receiver):
    endpoint = subscribe(ASKED)
    emit(event_type=ASKED, key="page:3", data=lambda: {})
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    sent = Delivery.objects.get()

    response = manager_client.post(reverse("webhooks:redeliver", args=[sent.pk]), follow=True)

    assert "The endpoint is switched off: switch it on first." in response.content.decode()
    assert receiver.requests == []


def test_the_pages_answer_404_for_what_does_not_exist(manager_client):
    for name in ("endpoint", "edit", "delivery"):
        assert manager_client.get(reverse(f"webhooks:{name}", args=[999])).status_code == 404


def test_the_endpoint_page_costs_the_same_with_2_or_20_deliveries(manager_client, subscribe):
    endpoint = subscribe(ASKED)

    def queries(count: int) -> int:
        for _ in range(count - Delivery.objects.count()):
            emit(event_type=ASKED, key=f"page:q:{Delivery.objects.count()}", data=lambda: {})
        manager_client.get(_endpoint_page(endpoint))  # the session and roles are cached
        with CaptureQueriesContext(connection) as context:
            assert manager_client.get(_endpoint_page(endpoint)).status_code == 200
        return len(context.captured_queries)

    assert queries(2) == queries(20)


def test_the_pages_speak_german(manager_client, subscribe):
    subscribe(ASKED)

    page = manager_client.get(LIST, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Endpunkt hinzufügen" in page
