"""STAFF_LOGIN_OIDC_ONLY: staff log in through the brand's identity provider only, and
still give their second factor; members keep their password."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.urls import reverse

from accounts import roles
from accounts.adapter import AccountAdapter
from tests.accounts.oidc_helpers import BUTTON, brand_login
from tests.factories import UserFactory, totp_code, with_totp
from tests.oidc_provider.control import PROVIDER_ID

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def verified(user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def oidc_only(settings, telco):
    settings.STAFF_LOGIN_OIDC_ONLY = True


def password_login(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


@pytest.mark.django_db
def test_a_staff_members_password_login_is_refused_and_the_button_named(client, oidc_only):
    moderator = verified(with_totp(UserFactory(role=roles.MODERATORS)))

    response = password_login(client, moderator)

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == reverse("account_login")
    page = response.content.decode()
    assert "Staff members log in with their Telco account, not with a password" in page
    assert "Log in with your Telco account</a>" in page


@pytest.mark.django_db
def test_members_keep_logging_in_with_their_password(client, oidc_only):
    member = verified(UserFactory())

    password_login(client, member)

    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_without_the_setting_staff_log_in_with_password_and_second_factor(client, telco):
    moderator = verified(with_totp(UserFactory(role=roles.MODERATORS)))

    response = password_login(client, moderator)

    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")


@pytest.mark.django_db
def test_a_staff_members_login_through_another_provider_is_refused(oidc_only, rf):
    moderator = with_totp(UserFactory(role=roles.MODERATORS))
    google = SocialLogin(user=moderator, account=SocialAccount(provider="google", uid="1"))
    google.provider = type("Google", (), {"id": "google"})()
    request = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    request._messages = FallbackStorage(request)

    response = AccountAdapter(request).pre_login(
        request,
        moderator,
        email_verification="none",
        signal_kwargs={"sociallogin": google},
        email=None,
        signup=False,
        redirect_url=None,
    )

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    [message] = list(request._messages)
    assert "Staff members log in with their Telco account" in str(message)


def test_staff_log_in_through_the_brand_and_still_give_their_second_factor(
    brand, browser, live_server, settings
):
    settings.STAFF_LOGIN_OIDC_ONLY = True
    username = brand.person()
    moderator = verified(
        with_totp(UserFactory(role=roles.MODERATORS, email=f"{username}@customers.example"))
    )
    SocialAccount.objects.create(user=moderator, provider=PROVIDER_ID, uid=username)

    second_factor = brand_login(browser, live_server.url, username, button=BUTTON)
    browser.submit(second_factor, {"code": totp_code()})

    assert str(second_factor.url).endswith(reverse("mfa_authenticate"))
    assert f">{moderator.display_name}</a>" in browser.get(f"{live_server.url}/").text


@pytest.mark.django_db
def test_the_apis_password_grant_still_gives_staff_no_token(api_client, oidc_only):
    moderator = verified(with_totp(UserFactory(role=roles.MODERATORS)))

    response = api_client.post(
        "/api/v1/auth/token/", {"email": moderator.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 403
    assert not moderator.api_tokens.exists()
