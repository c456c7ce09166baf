"""A member creates, regenerates and revokes their API token."""

import pytest
from django.urls import reverse
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

pytestmark = pytest.mark.django_db

URL = reverse("accounts:api_token")


def _authenticates(key: str):
    """The member the API would see for this key, or None."""
    try:
        return TokenAuthentication().authenticate_credentials(key)[0]
    except AuthenticationFailed:
        return None


def _create(client) -> str:
    return client.post(URL, {"action": "regenerate"}).context["new_key"]


def test_the_token_page_needs_a_login(client):
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"action": "regenerate"}).status_code == 302
    assert not Token.objects.exists()


def test_a_member_creates_a_token_and_sees_the_key_once(member_client, member):
    response = member_client.post(URL, {"action": "regenerate"})

    key = Token.objects.get(user=member).key
    assert response.status_code == 200
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert _authenticates(key) == member
    assert key not in member_client.get(URL).content.decode()


def test_regenerating_invalidates_the_old_key(member_client, member):
    old_key = _create(member_client)

    new_key = _create(member_client)

    assert new_key != old_key
    assert _authenticates(old_key) is None
    assert _authenticates(new_key) == member
    assert Token.objects.filter(user=member).count() == 1


def test_revoking_removes_the_token(member_client, member):
    key = _create(member_client)

    response = member_client.post(URL, {"action": "revoke"})

    assert response.status_code == 302
    assert not Token.objects.filter(user=member).exists()
    assert _authenticates(key) is None


def test_an_unknown_action_is_a_bad_request(member_client, member):
    assert member_client.post(URL, {"action": "steal"}).status_code == 400
    assert not Token.objects.exists()
