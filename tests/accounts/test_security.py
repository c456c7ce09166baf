"""Two factors for staff, social login without extra data, allauth's throttles."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from django.test import RequestFactory, override_settings
from django.urls import reverse

from accounts import roles
from accounts.social import SocialAccountAdapter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_staff():
    """A support lead who has not set up a second factor yet."""
    return UserFactory(role=roles.SUPPORT_LEADS)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, new_staff):
    client.force_login(new_staff)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_may_still_reach_the_totp_setup_flow(client, new_staff):
    client.force_login(new_staff)

    response = client.get(reverse("mfa_activate_totp"), follow=True)

    # allauth asks for the password again first; no redirect loop back to setup
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_totp_use_the_site(client, new_staff):
    Authenticator.objects.create(user=new_staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(new_staff)

    assert client.get("/").status_code == 200


def test_members_are_offered_but_not_forced_into_two_factors(member_client):
    assert member_client.get("/").status_code == 200
    assert member_client.get(reverse("mfa_index")).status_code == 200


def test_a_social_login_keeps_only_the_providers_id_name_and_email():
    account = SocialAccount(
        provider="facebook",
        uid="42",
        extra_data={
            "id": "42",
            "name": "Anna Asker",
            "email": "anna@example.com",
            "friends": {"data": [{"name": "Bernd"}]},
            "birthday": "01/01/1990",
        },
    )
    sociallogin = SocialLogin(user=UserFactory.build(), account=account)
    request = RequestFactory().get("/")

    # Before allauth looks the account up (which saves a returning member's account).
    SocialAccountAdapter().populate_user(request, sociallogin, {})

    assert account.extra_data == {"id": "42", "name": "Anna Asker", "email": "anna@example.com"}


def test_the_login_page_offers_a_provider_once_an_admin_added_its_keys(client):
    app = SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="s")
    app.sites.add(1)

    assert "Google" in client.get(reverse("account_login")).content.decode()


@pytest.fixture
def verified_member(member):
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


RIGHT_PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"})
def test_a_verified_member_logs_in_when_not_throttled(client, verified_member):
    client.post(
        reverse("account_login"), {"login": verified_member.email, "password": RIGHT_PASSWORD}
    )

    assert client.session["_auth_user_id"] == str(verified_member.pk)


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"})
def test_repeated_failed_logins_are_throttled(client, verified_member):
    member = verified_member
    attempt = {"login": member.email, "password": "wrong-password"}
    for _ in range(3):
        response = client.post(reverse("account_login"), attempt)

    assert "Too many failed login attempts" in response.content.decode()
    right = {"login": member.email, "password": RIGHT_PASSWORD}
    client.post(reverse("account_login"), right)
    assert "_auth_user_id" not in client.session
