"""Journeys a person makes in a real browser, found by labels and roles as a screen reader would."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts import roles
from tests.factories import ForumFactory, UserFactory, make_question

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed rows; restore what migrations wrote afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "plum-orbit-castle-92"
CHECK_YOUR_EMAIL = re.compile(r"(confirm|verify) your email", re.IGNORECASE)
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def _sign_up(page: Page, *, email: str, display_name: str) -> None:
    page.get_by_role("link", name="Sign up").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^I accept the Terms of use")).check()
    page.get_by_label(re.compile(r"^I accept the Privacy notice")).check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=CHECK_YOUR_EMAIL, level=1)).to_be_visible()


def _confirm_email(page: Page, mailoutbox, *, email: str) -> None:
    (message,) = mailoutbox
    assert message.to == [email]
    link = CONFIRM_LINK.search(message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def _ask(page: Page, *, forum: str, title: str, body: str) -> None:
    page.get_by_role("link", name="Ask a question").first.click()
    expect(page.get_by_role("heading", name="Ask a question", level=1)).to_be_visible()
    page.get_by_label("Forum").select_option(label=forum)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Details").fill(body)
    page.get_by_role("button", name="Post your question").click()


def test_a_visitor_signs_up_confirms_their_email_and_asks_a_question(page, mailoutbox, purposes):
    ForumFactory(name="Internet & Wi-Fi", slug="internet")
    title = "Router drops Wi-Fi every night at 3 am"

    page.goto("/")
    _sign_up(page, email="nora@example.com", display_name="Nora Newcomer")
    _confirm_email(page, mailoutbox, email="nora@example.com")

    # Confirming in the browser that signed up logs the new member in.
    expect(page.get_by_role("link", name="Nora Newcomer")).to_be_visible()

    _ask(
        page,
        forum="Internet & Wi-Fi",
        title=title,
        body="Every night the router loses Wi-Fi and I have to restart it. Firmware is current.",
    )

    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_text("Firmware is current.")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Internet & Wi-Fi"
    ).click()
    expect(page.get_by_role("heading", name="Internet & Wi-Fi", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name=title).first).to_be_visible()


@pytest.fixture
def long_thread(db):
    forum = ForumFactory(name="Rechnungen und Zahlungsvereinbarungen", slug="rechnungen")
    # Staff: the link in the body is not held for review, as a new member's would be.
    author = UserFactory(role=roles.SUPPORT_LEADS)
    return make_question(
        author=author,
        forum=forum,
        title="Warum steht auf meiner Rechnung eine Drittanbieterleistungsabrechnungsposition?",
        body="Seit März sehe ich diese Position: https://example.com/" + "x" * 120,
    )


@pytest.mark.parametrize("where", ["home", "forum", "question"])
def test_pages_fit_a_phone_screen_without_horizontal_scrolling(phone_page, long_thread, where):
    url = {
        "home": "/",
        "forum": long_thread.forum.get_absolute_url(),
        "question": long_thread.get_absolute_url(),
    }[where]

    phone_page.goto(url)

    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
