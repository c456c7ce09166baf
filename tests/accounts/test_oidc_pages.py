"""The login and signup pages offer the brand's account first; its login and callback
are ours (the ID token's signature checked); its signup asks what an email signup asks."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.contrib.sites.models import Site
from django.urls import resolve, reverse

from accounts.oidc import views
from accounts.social import SocialSignupForm
from branding.models import Brand
from tests.accounts.oidc_helpers import configure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_offers_the_brands_account_before_the_email_form(client, telco):
    google = SocialApp.objects.create(provider="google", name="Google", client_id="i", secret="s")
    google.sites.add(Site.objects.get_current())

    page = client.get(reverse("account_login")).content.decode()

    button = page.index('href="/accounts/oidc/telco/login/?process=login">Log in with your Telco')
    assert button < page.index('name="login"') < page.index("Or use a third-party")
    third_party = page[page.index("Or use a third-party") :]
    assert "Google" in third_party and "Telco" not in third_party


def test_the_signup_page_offers_to_join_with_the_brands_account(client, telco):
    page = client.get(reverse("account_signup")).content.decode()

    assert page.index("Join with your Telco account") < page.index('name="email"')
    assert "Or use a third-party" not in page  # no other provider configured


@pytest.fixture
def community_named(db):
    brand = Brand.load()
    brand.name = "Stadtwerke Community"
    brand.save()


def test_a_provider_without_a_name_is_called_by_the_communitys(client, settings, community_named):
    configure(
        settings,
        OIDC_SERVER_URL="https://login.stadtwerke.example",
        OIDC_CLIENT_ID="peerdesk",
        OIDC_CLIENT_SECRET="secret",
    )

    page = client.get(reverse("account_login")).content.decode()

    assert "Log in with your Stadtwerke Community account" in page


def test_without_a_brand_provider_the_pages_offer_none(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "brand-login" not in page and "Log in with your" not in page


def test_the_login_and_callback_of_a_brand_provider_are_ours(telco):
    login = reverse("openid_connect_login", kwargs={"provider_id": "telco"})
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "telco"})

    assert (login, callback) == (
        "/accounts/oidc/telco/login/",
        "/accounts/oidc/telco/login/callback/",
    )
    assert resolve(login).func is views.login
    assert resolve(callback).func is views.callback


def test_an_unknown_provider_is_not_found(client, telco):
    assert client.get("/accounts/oidc/nobody/login/").status_code == 404
    assert client.get("/accounts/oidc/nobody/login/callback/?code=c&state=s").status_code == 404


def test_a_brand_signup_asks_for_the_display_name_and_the_terms_like_an_email_signup(rf, purposes):
    UserFactory(display_name="Kim")
    app = SocialApp(
        provider="openid_connect",
        provider_id="telco",
        client_id="c",
        settings={"name_claim": "name"},
    )
    sociallogin = SocialLogin(
        user=UserFactory.build(email="kim@customers.example"),
        account=SocialAccount(provider="telco", uid="k", extra_data={"name": "Kim"}),
        provider=OpenIDConnectProvider(rf.get("/"), app=app),
    )

    form = SocialSignupForm(
        data={"email": "kim@customers.example", "display_name": "Kim"}, sociallogin=sociallogin
    )

    assert form.initial["display_name"] == "Kim"  # the name claim, offered
    assert not form.is_valid()
    assert form.errors["display_name"] == ["This display name is taken. Please choose another."]
    assert form.errors["consent_terms"] == ["Please accept this to create your account."]
