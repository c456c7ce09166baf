"""Logging in with the brand's customer account, end to end: Peerdesk's live server and a
real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider) in a subprocess,
a browser (httpx) going between them, no HTTP mocked (fixtures in oidc_helpers)."""

import logging
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialAccount

from accounts.customer_link.services import customer_link_from_provider, verified_links
from accounts.models import CustomerAccountLink, CustomerLinkIssue, User
from privacy.selectors import missing_required
from tests.accounts.oidc_helpers import BUTTON, Browser, brand_login, log_in_at_provider, query
from tests.factories import UserFactory
from tests.oidc_provider.control import PROVIDER_ID

Method = CustomerAccountLink.Method
State = CustomerAccountLink.State


def join(browser, site, username, display_name="Kim Customer"):
    """A newcomer: the brand's login, then Peerdesk's signup form (display name, terms)."""
    signup = brand_login(browser, site, username, button=BUTTON)
    assert "/accounts/3rdparty/signup/" in str(signup.url)
    return browser.submit(
        signup, {"display_name": display_name, "consent_terms": "on", "consent_privacy": "on"}
    )


def member_of(username) -> User:
    return SocialAccount.objects.select_related("user").get(provider=PROVIDER_ID, uid=username).user


def logged_in(browser, site) -> bool:
    return "Log out" in browser.get(f"{site}/").text


def test_a_customer_joins_with_the_brand_account_and_their_number_is_verified_at_once(
    brand, browser, live_server
):
    username = brand.person(customer_number="ab 123 456", name="Kim Kunde")

    signup = brand_login(browser, live_server.url, username, button=BUTTON)
    page = browser.submit(
        signup, {"display_name": "Kim K", "consent_terms": "on", "consent_privacy": "on"}
    )

    assert 'value="Kim Kunde"' in signup.text  # the name claim, offered as display name
    assert 'name="consent_terms"' in signup.text  # the terms, as at an email signup
    assert page.status_code == 200 and logged_in(browser, live_server.url)
    member = member_of(username)
    assert (member.display_name, member.email) == ("Kim K", f"{username}@customers.example")
    assert missing_required(member) == []
    link = CustomerAccountLink.objects.get(user=member)
    assert (link.customer_number, link.state, link.method) == (
        "AB123456",
        State.VERIFIED,
        "provider",
    )
    assert list(verified_links()) == [link]  # what the settlement credits points to
    account = SocialAccount.objects.get(user=member)
    assert set(account.extra_data) == {"sub", "email", "email_verified", "name", "customer_number"}


def test_the_login_fetches_the_discovery_document_and_uses_pkce_and_the_signing_keys(
    brand, browser, live_server
):
    join(browser, live_server.url, brand.person())

    asked = brand.requests()
    paths = [(entry["method"], entry["path"]) for entry in asked]
    # Asked twice: before the person logs in at the provider, and after.
    authorize = next(entry for entry in asked if entry["path"] == "/o/authorize/")
    [token] = [e for e in asked if e["path"] == "/o/token/"]
    assert ("GET", "/o/.well-known/openid-configuration") in paths
    assert authorize["query"]["code_challenge_method"] == "S256"
    assert len(authorize["query"]["code_challenge"]) == 43  # base64url of SHA-256
    assert set(authorize["query"]["scope"].split()) == {"openid", "profile", "email", "customer"}
    assert "code_verifier" in token["form"] and token["status"] == 200
    assert ("GET", "/o/.well-known/jwks.json") in paths  # the ID token's signature checked
    assert ("GET", "/o/userinfo/") in paths


def test_a_code_sent_back_with_another_logins_state_fails_its_pkce_check(brand, live_server):
    """The code of login A, brought to Peerdesk by browser B (with B's state, so B's PKCE
    verifier): the provider refuses it, and nobody is logged in. A then completes."""
    username = brand.person()
    a, b = Browser(), Browser()
    try:
        # B starts a login and is sent to the provider, with a state and a code challenge.
        confirm_b = b.click(b.get(f"{live_server.url}/accounts/login/"), BUTTON)
        to_provider = b.submit(confirm_b, stop_at=brand.issuer)
        state_b = query(to_provider.headers["location"])["state"]
        # A logs in at the provider; we stop before the provider's redirect back to Peerdesk.
        back_to_peerdesk = brand_login(
            a, live_server.url, username, button=BUTTON, stop_at=live_server.url
        )
        callback_a = back_to_peerdesk.headers["location"]
        code_a = query(callback_a)["code"]
        brand.forget_requests()

        refused = b.get(
            f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/?code={code_a}&state={state_b}"
        )

        [token] = [e for e in brand.requests() if e["path"] == "/o/token/"]
        assert token["status"] == 400  # invalid_grant: the verifier does not match
        assert "Third-Party Login Failure" in refused.text
        assert not SocialAccount.objects.exists()
        completed = a.get(callback_a)
        assert "/accounts/3rdparty/signup/" in str(completed.url)
    finally:
        a.close()
        b.close()


def test_an_id_token_not_signed_with_a_key_the_provider_publishes_is_refused(
    brand, browser, live_server
):
    username = brand.person(customer_number="AB123456")

    with brand.publishing_another_key():
        page = brand_login(browser, live_server.url, username, button=BUTTON)

    assert "Third-Party Login Failure" in page.text
    assert not logged_in(browser, live_server.url)
    assert not SocialAccount.objects.exists() and not CustomerAccountLink.objects.exists()
    # The provider did issue the token; Peerdesk checked it against the keys published.
    asked = [(entry["path"], entry["status"]) for entry in brand.requests()]
    assert ("/o/token/", 200) in asked and ("/o/.well-known/jwks.json", 200) in asked


def test_a_returning_member_logs_in_at_once_and_keeps_only_the_claims_needed(
    brand, browser, live_server
):
    username = brand.person(customer_number="AB123456", phone_number="+49 170 000")
    join(browser, live_server.url, username)
    again = Browser()
    try:
        page = brand_login(again, live_server.url, username, button=BUTTON)

        assert "/accounts/3rdparty/signup/" not in str(page.url)
        assert logged_in(again, live_server.url)
    finally:
        again.close()
    # Saved again by this login: still only what is kept, never the provider's other claims.
    account = SocialAccount.objects.get(uid=username)
    assert set(account.extra_data) == {"sub", "email", "email_verified", "name", "customer_number"}
    assert CustomerAccountLink.objects.get().state == State.VERIFIED


def test_a_changed_number_at_a_later_login_is_not_linked_but_shown_to_staff(
    brand, browser, live_server, caplog
):
    username = brand.person(customer_number="AB123456")
    join(browser, live_server.url, username)
    brand.person(username=username, customer_number="CD654321")
    again = Browser()
    try:
        with caplog.at_level(logging.WARNING, logger="accounts.customer_link.services"):
            brand_login(again, live_server.url, username, button=BUTTON)
        assert logged_in(again, live_server.url)
    finally:
        again.close()

    member = member_of(username)
    assert [(link.customer_number, link.state) for link in member.customer_links.all()] == [
        ("AB123456", State.VERIFIED)
    ]
    issue = CustomerLinkIssue.objects.get(user=member)
    assert (issue.kind, issue.customer_number, issue.provider) == ("changed", "CD654321", "telco")
    assert "not linked to member" in caplog.text and "CD654321" not in caplog.text


def test_a_number_linked_to_another_member_is_never_linked_to_a_newcomer(
    brand, browser, live_server, caplog
):
    owner = UserFactory()
    customer_link_from_provider(user=owner, customer_number="AB123456", provider="telco")
    username = brand.person(customer_number="AB123456")

    with caplog.at_level(logging.WARNING, logger="accounts.customer_link.services"):
        join(browser, live_server.url, username)

    newcomer = member_of(username)
    assert logged_in(browser, live_server.url)
    assert not newcomer.customer_links.exists()
    assert CustomerAccountLink.objects.get().user == owner
    issue = CustomerLinkIssue.objects.get()
    assert (issue.user, issue.kind, issue.customer_number) == (newcomer, "taken", "AB123456")
    assert f"not linked to member {newcomer.pk}: taken" in caplog.text


def test_a_member_who_connects_the_brand_account_gets_its_number_linked(
    brand, browser, live_server
):
    member = UserFactory(email="anna@example.com")
    member.emailaddress_set.create(email=member.email, verified=True, primary=True)
    username = brand.person(customer_number="AB123456")
    login = browser.get(f"{live_server.url}/accounts/login/")
    browser.submit(login, {"login": member.email, "password": "correct-horse-battery"})
    connections = browser.get(f"{live_server.url}/accounts/3rdparty/")

    confirm = browser.get(
        f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/?process=connect",
    )
    log_in_at_provider(browser, browser.submit(confirm), username)

    assert "Telco" in connections.text
    assert SocialAccount.objects.get(uid=username).user == member
    link = CustomerAccountLink.objects.get(user=member)
    assert (link.customer_number, link.state, link.method) == (
        "AB123456",
        State.VERIFIED,
        "provider",
    )


def test_the_page_that_sends_a_member_on_to_the_provider_may_send_its_form_there(
    brand, browser, live_server
):
    page = browser.get(f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/")

    policy = page.headers["content-security-policy"]
    [form_action] = [part for part in policy.split(";") if "form-action" in part]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(brand.issuer))
    assert form_action.split() == ["form-action", "'self'", origin]
