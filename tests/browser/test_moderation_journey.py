"""A member flags a post, a moderator hides it from the queue, and its author is told."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts import roles
from tests.factories import ForumFactory, UserFactory, make_answer, make_question, with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page: Page, user, *, url: str) -> None:
    """Starts the member's session in the browser (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


@pytest.fixture
def thread(db):
    forum = ForumFactory(name="Mobilfunk", slug="mobilfunk")
    asker = UserFactory(display_name="Anna Asker")
    question = make_question(author=asker, forum=forum, title="Why is my roaming so slow?")
    spammer = UserFactory(display_name="Sam Spammer")
    answer = make_answer(question=question, author=spammer, body="Buy cheap followers today!")
    return question, answer, asker, spammer


def test_a_flagged_post_is_hidden_from_the_queue_and_its_author_sees_the_notice(
    page, thread, live_server
):
    question, answer, asker, spammer = thread
    moderator = with_totp(UserFactory(display_name="Mo Derator", role=roles.MODERATORS))

    _log_in(page, asker, url=live_server.url)
    page.goto(question.get_absolute_url())
    page.locator(f"#answer-{answer.pk}").get_by_role("link", name="Flag").click()
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("You flagged this")

    _log_in(page, moderator, url=live_server.url)
    page.goto("/staff/moderation/")
    row = page.locator("article.queue-row", has_text="Buy cheap followers")
    row.get_by_role("button", name="Hide").click()
    expect(page.locator("article.queue-row").first).to_have_attribute("id", re.compile("case-"))
    expect(page.get_by_role("status").first).to_be_visible()

    _log_in(page, spammer, url=live_server.url)
    page.goto("/")
    page.get_by_role("link", name=re.compile("Notifications: 1 unread")).click()
    expect(page.get_by_role("main")).to_contain_text("Why is my roaming so slow?")
    page.goto(question.get_absolute_url())
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("Hidden pending review")

    _log_in(page, asker, url=live_server.url)
    page.goto(question.get_absolute_url())
    expect(page.get_by_text("Buy cheap followers today!")).to_have_count(0)
