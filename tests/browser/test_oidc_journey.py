"""Joining with the brand's customer account in a real browser: Chromium goes from
Peerdesk's login page to the test identity provider (tests/oidc_provider) and back, every
Peerdesk page under its Content-Security-Policy (the form sent on to the provider must
be allowed to go there)."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import CustomerAccountLink
from tests.accounts.oidc_helpers import brand  # noqa: F401 - a fixture
from tests.oidc_provider import PASSWORD
from tests.oidc_provider.control import identity_provider  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_customer_joins_with_the_brand_account_and_gets_the_number_linked(
    brand,  # noqa: F811
    page: Page,
):
    username = brand.person(customer_number="AB123456", name="Kim Kunde")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Log in with your Telco account").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Customer portal login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/3rdparty/signup/$"))
    expect(page.get_by_label("Display name")).to_have_value("Kim Kunde")
    page.get_by_label(re.compile(r"^I accept the Terms of use")).check()
    page.get_by_label(re.compile(r"^I accept the Privacy notice")).check()
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("link", name="Kim Kunde")).to_be_visible()
    link = CustomerAccountLink.objects.get()
    assert (link.customer_number, link.state, link.method) == ("AB123456", "verified", "provider")
