"""The notifications API: own notifications only (another member's is a 404), marking
read, and preferences; every error is the documented JSON body."""

import pytest

from notifications import selectors
from notifications.models import Channel, Kind, Notification
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications/"


@pytest.fixture
def api(api_client, member):
    api_client.force_authenticate(member)
    return api_client


def answered(user) -> Notification:
    make_answer(question=make_question(author=user, title="Why is my router blinking?"))
    return Notification.objects.filter(recipient=user).latest("pk")


def test_the_list_has_only_the_members_own_notifications(api, member, other_member):
    mine = answered(member)
    answered(other_member)

    response = api.get(API)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == mine.pk
    assert row["kind"] == "answer"
    assert row["url"] == f"/a/{mine.answer_id}/"
    assert "Why is my router blinking?" in row["summary"]
    assert row["read_at"] is None


def test_the_list_needs_a_login(api_client):
    response = api_client.get(API)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_page_past_the_end_is_a_404(api, member):
    assert api.get(API, {"page": 9}).status_code == 404


def test_marking_read(api, member):
    mine = answered(member)

    response = api.post(f"{API}{mine.pk}/read/")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert api.post(f"{API}{mine.pk}/read/").status_code == 200  # again: no change


def test_another_members_notification_is_a_404(api, other_member):
    theirs = answered(other_member)

    response = api.post(f"{API}{theirs.pk}/read/")

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(api, member, other_member):
    answered(member)
    answered(member)
    theirs = answered(other_member)

    response = api.post(f"{API}read-all/")

    assert response.json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_read_and_set(api, member):
    assert api.get(f"{API}preferences/").json()[Kind.FORUM_QUESTION] == Channel.IN_APP

    response = api.put(f"{API}preferences/", {"answer": "digest"}, format="json")

    assert response.status_code == 200
    assert response.json()["answer"] == "digest"
    assert response.json()["comment"] == "email"  # left out: unchanged
    assert selectors.channels_for(member)[Kind.ANSWER] == Channel.DIGEST


def test_an_unknown_channel_is_a_400_that_changes_nothing(api, member):
    response = api.put(f"{API}preferences/", {"answer": "pigeon"}, format="json")

    assert response.status_code == 400
    assert "answer" in response.json()["errors"]
    assert not member.notification_preferences.exists()


def test_the_operations_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()

    for path in ("/api/v1/notifications/", "/api/v1/notifications/{id}/read/"):
        assert path in schema
