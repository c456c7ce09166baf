"""A community manager connects the CRM: adds an endpoint (a form error first), copies its
secret, sees a question asked in the community arrive at the CRM in the delivery log,
and rotates the secret."""

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts import roles
from tests.factories import UserFactory, make_question, with_totp
from tests.fakes.webhook_receiver import receiver_fixture  # noqa: F401 (the fixture `receiver`)
from webhooks.permissions import webhooks_groups_grant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page: Page, user, *, url: str) -> None:
    """Starts the user's session in the browser (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def test_a_community_manager_connects_the_crm(page, live_server, receiver, forum):
    webhooks_groups_grant(apps)  # the test before may have flushed the permissions
    manager = with_totp(UserFactory(display_name="Cora Manager", role=roles.COMMUNITY_MANAGERS))
    _log_in(page, manager, url=live_server.url)
    page.goto("/staff/webhooks/")
    page.get_by_role("link", name="Add an endpoint").click()

    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("Description").fill("CRM")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one event.")

    page.get_by_label("A question was asked").check()
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CRM")
    secret = page.get_by_label("Current secret").input_value()
    assert secret.startswith("whsec_")
    receiver.secrets.append(secret)

    question = make_question(forum=forum, title="Router blinks red")  # commits: sent at once
    page.reload()

    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("question.asked")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("HTTP 200")
    assert receiver.events("question.asked")[0]["data"]["question"]["id"] == question.pk

    page.get_by_role("button", name="Rotate the secret").click()
    expect(page.get_by_role("status").first).to_contain_text("A new secret is in use.")
    expect(page.get_by_label("Previous secret, valid until", exact=False)).to_have_value(secret)
