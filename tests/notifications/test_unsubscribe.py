"""The unsubscribe link in every email: works without login, one click for mail programs
(RFC 8058), and a forged or expired link changes nothing."""

from datetime import timedelta

import pytest
from django.core import signing

from notifications import selectors, services
from notifications.models import Channel, Kind
from tests.notifications.conftest import prefer

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return f"/notifications/unsubscribe/{token}/"


def test_the_link_asks_to_confirm_and_changes_nothing_yet(client, member):
    token = services.unsubscribe_token(user=member, kind=Kind.ANSWER)

    response = client.get(url(token))

    assert response.status_code == 200
    assert "An answer to my question" in response.content.decode()
    assert selectors.channels_for(member)[Kind.ANSWER] == Channel.EMAIL


def test_confirming_moves_that_kind_to_the_app_only(client, member):
    token = services.unsubscribe_token(user=member, kind=Kind.ANSWER)

    response = client.post(url(token))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    channels = selectors.channels_for(member)
    assert channels[Kind.ANSWER] == Channel.IN_APP
    assert channels[Kind.COMMENT] == Channel.EMAIL


def test_a_mail_programs_one_click_post_works_without_session_or_csrf(member):
    from django.test import Client

    token = services.unsubscribe_token(user=member, kind=Kind.MENTION)

    response = Client(enforce_csrf_checks=True).post(url(token), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert selectors.channels_for(member)[Kind.MENTION] == Channel.IN_APP


def test_the_digest_link_stops_every_digested_kind_and_nothing_else(client, member):
    prefer(member, answer="digest", comment="digest", mention="off")

    client.post(url(services.unsubscribe_token(user=member, kind=services.DIGEST)))

    channels = selectors.channels_for(member)
    assert (channels[Kind.ANSWER], channels[Kind.COMMENT]) == (Channel.IN_APP, Channel.IN_APP)
    assert channels[Kind.MENTION] == Channel.OFF
    assert channels[Kind.ACCEPTED] == Channel.EMAIL


def test_unsubscribing_never_turns_an_off_kind_back_on(client, member):
    prefer(member, answer="off")

    client.post(url(services.unsubscribe_token(user=member, kind=Kind.ANSWER)))

    assert selectors.channels_for(member)[Kind.ANSWER] == Channel.OFF


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_refused_and_changes_nothing(client, member, method):
    token = services.unsubscribe_token(user=member, kind=Kind.ANSWER)
    forged = signing.dumps({"u": member.pk, "k": Kind.ANSWER}, salt="something else")

    for bad in (forged, token[:-2] + "xx", "junk"):
        response = getattr(client, method)(url(bad))

        assert response.status_code == 400
        assert "not valid or has expired" in response.content.decode()
    assert not member.notification_preferences.exists()


def test_an_expired_link_is_refused(client, member, monkeypatch):
    token = services.unsubscribe_token(user=member, kind=Kind.ANSWER)
    monkeypatch.setattr(services, "UNSUBSCRIBE_MAX_AGE", timedelta(seconds=-1))

    response = client.post(url(token))

    assert response.status_code == 400
    assert not member.notification_preferences.exists()


def test_a_link_for_an_unknown_kind_is_refused(client, member):
    token = services.unsubscribe_token(user=member, kind="newsletter")

    assert client.post(url(token)).status_code == 400
