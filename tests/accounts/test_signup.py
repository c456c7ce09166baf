"""Signing up through allauth's page: display name, verification email, first login."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "kettle-Harbour-91"


def _signup(client, *, email="new@example.com", display_name="New Member"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_terms": "on",
            "consent_privacy": "on",
        },
    )


def _confirmation_path(message) -> str:
    url = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    return urlparse(url).path


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signing_up_creates_the_member_with_the_display_name_and_sends_a_verification_email(
    client,
):
    response = _signup(client, display_name="  New   Member ")

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.display_name == "New Member"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert not _logged_in(client)


def test_an_unverified_member_cannot_log_in(client):
    _signup(client)
    client.logout()

    response = client.post("/accounts/login/", {"login": "new@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert not _logged_in(client)


def test_following_the_link_in_the_email_verifies_the_address_and_logs_in(client):
    _signup(client)
    path = _confirmation_path(mail.outbox[0])

    page = client.get(path)
    response = client.post(path)

    assert page.status_code == 200
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_verified_member_can_log_in(client):
    _signup(client)
    client.post(_confirmation_path(mail.outbox[0]))
    client.logout()

    response = client.post("/accounts/login/", {"login": "new@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert _logged_in(client)


def test_a_display_name_taken_in_another_case_is_a_form_error_and_creates_nothing(client, member):
    response = _signup(client, display_name=member.display_name.upper())

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert "This display name is taken" in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["Anna <b>", "anna@example.com", "Anna!", "ab", "x" * 41])
def test_a_display_name_with_bad_characters_or_length_is_refused(client, name):
    response = _signup(client, display_name=name)

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()
