"""The support leads' list of contact requests, and what a member's data export and
erasure do with their requests."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.storage import storages

from accounts import roles
from insights import gdpr
from insights.models import ContactRequest, Event, EventKind
from privacy.erasure import services as erasure
from privacy.export import services as export
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

State = ContactRequest.State
LIST = "/contact/requests/"


def stored(**fields) -> ContactRequest:
    values = {
        "name": "Carla Customer",
        "email": "carla@example.com",
        "subject": "My router keeps losing Wi-Fi",
        "message": "Every night at two the Wi-Fi drops.",
    } | fields
    return ContactRequest.objects.create(**values)


# --- The staff list ---------------------------------------------------------------------


def test_support_leads_see_the_requests_newest_first(lead_client, forum):
    stored(subject="The older request")
    stored(
        subject="The newer request",
        forum=forum,
        state=State.FAILED,
        attempts=3,
        last_error="webhook: HTTP 500",
    )

    response = lead_client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("The newer request") < html.index("The older request")
    assert "webhook: HTTP 500" in html and forum.name in html
    assert html.count('action="/contact/requests/') == 1  # "Retry now" for the failed one


def test_community_managers_see_the_list_too(client):
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS)))

    assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("role", [None, roles.MODERATORS])
def test_others_may_not_see_the_list(client, role):
    user = UserFactory(role=role) if role is None else with_totp(UserFactory(role=role))
    client.force_login(user)
    stored()

    response = client.get(LIST)

    assert response.status_code == 403
    assert b"Carla" not in response.content


def test_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_is_paginated(lead_client):
    ContactRequest.objects.bulk_create(
        ContactRequest(name="C", email="c@example.com", subject=f"Request {n}", message="Help")
        for n in range(55)
    )

    first = lead_client.get(LIST)
    second = lead_client.get(LIST, {"page": 2})

    assert first.content.decode().count("<tr id=") == 50
    assert second.content.decode().count("<tr id=") == 5


def test_retry_now_forwards_a_failed_request(
    lead_client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    request = stored(state=State.FAILED, attempts=10, last_error="email: SMTPException")

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(f"{LIST}{request.pk}/retry/", follow=True)

    assert "being forwarded again" in response.content.decode()
    request.refresh_from_db()
    assert (request.state, request.attempts) == (State.FORWARDED, 11)
    assert len(mail.outbox) == 1


def test_retry_now_leaves_a_forwarded_request_alone(lead_client, settings):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    request = stored(state=State.FORWARDED)

    response = lead_client.post(f"{LIST}{request.pk}/retry/", follow=True)

    assert "Only a request whose forwarding failed" in response.content.decode()
    assert mail.outbox == []


def test_members_may_not_retry(member_client, settings):
    settings.SUPPORT_CONTACT_EMAIL = "support@example.com"
    request = stored(state=State.FAILED)

    assert member_client.post(f"{LIST}{request.pk}/retry/").status_code == 403
    assert mail.outbox == []


# --- GDPR -------------------------------------------------------------------------------


def test_the_export_lists_the_members_requests_and_nobody_elses(member, forum):
    stored(user=member, forum=forum, subject="Mine", message="My message to support.")
    stored(user=UserFactory(), subject="Someone else's")
    stored(subject="A visitor's")

    assert gdpr.contact_rows(member) == [
        {
            "created_at": ContactRequest.objects.get(subject="Mine").created_at,
            "subject": "Mine",
            "message": "My message to support.",
            "topic": forum.name,
            "state": State.PENDING,
        }
    ]


def test_erasure_deletes_the_members_requests_and_unlinks_their_events(member):
    mine = stored(user=member)
    theirs = stored(user=UserFactory())
    Event.objects.create(
        kind=EventKind.CONTACT_SUBMITTED,
        key="contact:1",
        channel="form",
        user=member,
        contact_request=mine,
    )

    gdpr.contact_erase(member)
    gdpr.contact_erase(member)

    assert list(ContactRequest.objects.all()) == [theirs]
    event = Event.objects.get()  # still counted, naming nobody
    assert (event.user, event.contact_request) == (None, None)


def test_the_data_export_contains_the_members_requests(
    member, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    exports = {**settings.STORAGES["exports"], "OPTIONS": {"location": tmp_path / "exports"}}
    settings.STORAGES = {**settings.STORAGES, "exports": exports}
    stored(user=member, message="My message to support.")
    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)
    request.refresh_from_db()

    with storages["exports"].open(request.file_name, "rb") as file:
        rows = json.loads(zipfile.ZipFile(io.BytesIO(file.read())).read("contact_requests.json"))

    assert [row["message"] for row in rows] == ["My message to support."]


def test_erasing_a_member_erases_their_requests(member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored(user=member)

    erasure.erase_now(user=member)

    assert not ContactRequest.objects.exists()
