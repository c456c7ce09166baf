"""A support lead opens the savings dashboard, changes the period, and sees the chart and
the tables follow without a page load, with the address updated to the new period."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts import roles
from tests.factories import UserFactory, with_totp
from tests.insights.history import (
    history_fixture,  # noqa: F401 (the fixture `history`)
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page: Page, user, *, url: str) -> None:
    """Starts the user's session in the browser (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def test_a_support_lead_changes_the_period_and_the_figures_follow(page, history, live_server):
    lead = with_totp(UserFactory(display_name="Lena Lead", role=roles.SUPPORT_LEADS))
    _log_in(page, lead, url=live_server.url)

    page.goto("/staff/insights/?from=2024-01-01&to=2024-01-31")
    mobilfunk = page.locator("#forum-mobilfunk")
    savings_chart = page.get_by_role("img", name=re.compile("Deflected contacts and net savings"))
    expect(mobilfunk.locator("td").nth(1)).to_have_text("EUR 6.90")
    expect(savings_chart.locator("text.axis").last).to_have_text("Jan 2024")
    expect(savings_chart.locator("text.value").last).to_have_text("8.52")  # January's net
    page.evaluate("window.stillTheSamePage = true")
    form = page.locator("#period-form")

    form.get_by_label("From").fill("2024-02-01")
    form.get_by_label("To").fill("2024-02-29")
    form.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"from=2024-02-01&to=2024-02-29"))
    expect(mobilfunk.locator("td").nth(1)).to_have_text("EUR 5.40")
    expect(savings_chart.locator("text.axis").last).to_have_text("Feb 2024")
    expect(savings_chart.locator("text.value").last).to_have_text("6.60")  # February's net
    expect(page.get_by_role("status").first).to_contain_text("Feb. 1, 2024")
    assert page.evaluate("window.stillTheSamePage") is True  # swapped, not reloaded

    # A period that makes no sense: the errors show, over this month's figures.
    form.get_by_label("From").fill("2024-03-01")
    form.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("The end date is before the start date.")
    expect(form.get_by_label("From")).to_have_value("2024-03-01")
    expect(mobilfunk.locator("td").nth(1)).to_have_text("EUR 0.00")

    form.get_by_role("link", name="Last month").click()
    expect(page).not_to_have_url(re.compile("2024"))
    expect(form.get_by_role("link", name="Last month")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.stillTheSamePage") is True
