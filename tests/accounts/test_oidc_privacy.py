"""What a login through the brand's identity provider keeps (only the claims needed), and
that export and erasure cover the social logins and the customer-number problems."""

import io
import json
import zipfile

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers.facebook.provider import FacebookProvider
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.core.files.storage import storages

from accounts.customer_link.services import customer_link_from_provider
from accounts.models import CustomerLinkIssue
from accounts.oidc.claims import kept_claims
from privacy.erasure import services as erasure
from privacy.export import services as export
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID_TOKEN = {
    "iss": "https://login.telco.example",
    "aud": "peerdesk",
    "exp": 1,
    "iat": 1,
    "nonce": "n",
    "at_hash": "h",
    "sub": "k-42",
    "email": "kim@example.com",
    "email_verified": True,
    "kundennummer": "AB123456",
}
USERINFO = {
    "sub": "k-42",
    "nickname": "Kim",
    "name": "Kim Kunde",
    "birthdate": "1990-01-01",
    "address": {"locality": "Bonn"},
    "phone_number": "+49 170 000",
}


def brand_login(rf, *, id_token=ID_TOKEN, userinfo=USERINFO) -> SocialLogin:
    app = SocialApp(
        provider="openid_connect",
        provider_id="telco",
        name="Telco",
        client_id="peerdesk",
        settings={"customer_number_claim": "kundennummer", "name_claim": "nickname"},
    )
    account = SocialAccount(
        provider="telco", uid="k-42", extra_data={"id_token": id_token, "userinfo": userinfo}
    )
    return SocialLogin(
        user=UserFactory.build(),
        account=account,
        provider=OpenIDConnectProvider(rf.get("/"), app=app),
    )


def test_a_brand_login_keeps_the_subject_email_name_and_the_configured_claims(rf):
    assert kept_claims(brand_login(rf)) == {
        "sub": "k-42",
        "email": "kim@example.com",
        "email_verified": True,
        "name": "Kim Kunde",
        "nickname": "Kim",
        "kundennummer": "AB123456",
    }


def test_a_userinfo_about_another_subject_is_refused(rf):
    with pytest.raises(OAuth2Error):
        kept_claims(brand_login(rf, userinfo={**USERINFO, "sub": "someone-else"}))


def test_a_returning_members_account_is_saved_with_the_kept_fields_only(rf, member):
    # Given a member who logged in with Facebook before
    app = SocialApp.objects.create(provider="facebook", name="Facebook", client_id="i", secret="s")
    SocialAccount.objects.create(user=member, provider="facebook", uid="42", extra_data={})
    request = rf.get("/")
    data = {"id": "42", "email": member.email, "name": "Anna", "birthday": "01/01/1990"}

    # When allauth turns Facebook's answer into a login and finds the account
    sociallogin = FacebookProvider(request, app=app).sociallogin_from_response(request, data)
    sociallogin.lookup()

    # Then the account it saved holds no birthday
    saved = SocialAccount.objects.get(uid="42")
    assert saved.extra_data == {"id": "42", "email": member.email, "name": "Anna"}


def test_the_export_holds_the_social_logins_and_the_numbers_not_linked(
    member, other_member, media_root, django_capture_on_commit_callbacks
):
    SocialAccount.objects.create(
        user=member, provider="telco", uid="k-42", extra_data={"kundennummer": "AB123456"}
    )
    customer_link_from_provider(user=other_member, customer_number="AB123456", provider="telco")
    customer_link_from_provider(user=member, customer_number="AB123456", provider="telco")

    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)
    request.refresh_from_db()
    with storages["exports"].open(request.file_name, "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))

    [login] = json.loads(archive.read("social_logins.json"))
    assert (login["provider"], login["uid"], login["data"]) == (
        "telco",
        "k-42",
        {"kundennummer": "AB123456"},
    )
    [problem] = json.loads(archive.read("customer_number_problems.json"))
    assert (problem["problem"], problem["customer_number"]) == ("taken", "AB123456")
    assert "social_logins.json" in archive.read("README.txt").decode()


def test_erasure_removes_the_social_logins_and_the_numbers_not_linked(member, other_member):
    SocialAccount.objects.create(user=member, provider="telco", uid="k-42")
    customer_link_from_provider(user=other_member, customer_number="AB123456", provider="telco")
    customer_link_from_provider(user=member, customer_number="AB123456", provider="telco")

    erasure.erase_now(user=member)

    assert not SocialAccount.objects.exists()
    assert not CustomerLinkIssue.objects.exists()
    assert other_member.customer_links.get().customer_number == "AB123456"
