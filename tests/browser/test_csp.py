"""Pages work under the Content-Security-Policy: the fixture `page` fails a test on any
violation, so these journeys cover what the policy could break (htmx's error swaps, the
admin, the API docs), and the watch itself is shown to see what it must."""

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts import roles
from tests.browser.conftest import watch_csp
from tests.factories import ForumFactory, UserFactory, make_question, with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ORIGIN = "http://csp-watch.test"
BREAKING_PAGE = """<!doctype html><title>breaks the policy</title>
<p style="color: red">inline style attribute</p>
<style>p { font-weight: bold }</style>
<script>document.title = "inline script ran";</script>
<button onclick="alert(1)">inline handler</button>
<script src="/eval.js"></script>
"""


def _log_in(page: Page, user, *, url: str) -> None:
    """Starts the user's session in the browser (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def test_the_watch_sees_inline_style_inline_script_and_eval(browser):
    context = browser.new_context()
    violations = watch_csp(context)
    page = context.new_page()
    policy = {"Content-Security-Policy": "default-src 'self'"}
    page.route(
        f"{ORIGIN}/",
        lambda route: route.fulfill(content_type="text/html", headers=policy, body=BREAKING_PAGE),
    )
    page.route(
        f"{ORIGIN}/eval.js",
        lambda route: route.fulfill(
            content_type="text/javascript", headers=policy, body="eval('1 + 1');"
        ),
    )
    try:
        page.goto(f"{ORIGIN}/")
        page.get_by_role("button", name="inline handler").click()
        deadline = time.monotonic() + 5
        seen = ""
        while time.monotonic() < deadline:
            seen = "\n".join(violations)
            if all(word in seen for word in ("style", "script", "eval", "handler")):
                break
            page.wait_for_timeout(100)
    finally:
        context.close()

    assert "inline script ran" not in seen
    for word in ("style", "script", "eval", "handler"):
        assert word in seen, seen


def test_a_refused_invitation_is_explained_in_place_and_a_good_one_is_sent(page, live_server):
    asker = UserFactory(display_name="Anna Asker")
    helper = UserFactory(display_name="Hanna Helper")
    UserFactory(display_name="Ida Expert")
    question = make_question(author=asker, forum=ForumFactory(), title="Why is my roaming so slow?")
    _log_in(page, helper, url=live_server.url)
    page.goto(question.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    invite = page.locator(".invite")
    invite.get_by_text("Invite someone to answer").click()

    # A 400 from the invite endpoint: htmx swaps the refusal in (static/js/peerdesk.js).
    invite.get_by_label(re.compile("Display name of a member")).fill("Nobody Known")
    invite.get_by_role("button", name="Invite").click()
    expect(page.locator(".invite").get_by_role("alert")).to_contain_text(
        "There is no member called “Nobody Known”."
    )

    page.locator(".invite").get_by_label(re.compile("Display name of a member")).fill("Ida Expert")
    page.locator(".invite").get_by_role("button", name="Invite").click()
    expect(page.locator(".invite").get_by_role("status")).to_contain_text(
        "We told Ida Expert about this question."
    )
    assert page.evaluate("window.stillTheSamePage") is True  # swapped, not reloaded


def test_the_api_docs_show_the_api_from_our_own_files(page, live_server):
    page.goto("/api/docs/")

    expect(page.get_by_role("heading", name=re.compile("Peerdesk API"), level=1)).to_be_visible()
    expect(page.get_by_text("Questions, answers, votes").first).to_be_visible()


def test_a_staff_member_browses_the_admin(page, live_server):
    admin = with_totp(UserFactory(display_name="Ada Admin", is_staff=True, is_superuser=True))
    make_question(title="A question for the admin list")
    _log_in(page, admin, url=live_server.url)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/community/question/")
    page.get_by_role("link", name="A question for the admin list").click()
    expect(page.get_by_role("heading", name="View question")).to_be_visible()
    page.goto(f"/admin/accounts/user/{admin.pk}/change/")
    expect(page.get_by_label("Display name")).to_have_value("Ada Admin")
    # The two-box permission picker: the admin's own script builds it.
    page.goto("/admin/auth/group/add/")
    expect(page.get_by_role("heading", name="Add group")).to_be_visible()
    expect(page.get_by_role("button", name="Choose all permissions")).to_be_visible()
    # The slug is filled in from the name as it is typed (the admin's prepopulate.js).
    page.goto("/admin/community/forum/add/")
    page.get_by_label("Name").press_sequentially("Festnetz und Internet")
    expect(page.get_by_label("Slug")).to_have_value("festnetz-und-internet")


def test_a_moderator_tours_the_pages_of_the_site(page, live_server):
    moderator = with_totp(UserFactory(display_name="Mo Derator", role=roles.MODERATORS))
    question = make_question(title="Why does my router blink red?")
    _log_in(page, moderator, url=live_server.url)

    for url in (
        "/",
        question.forum.get_absolute_url(),
        question.get_absolute_url(),
        "/search/?q=router",
        "/ask/",
        "/points/",
        "/points/leaderboards/",
        "/notifications/",
        "/notifications/preferences/",
        "/privacy/",
        "/members/me/settings/",
        f"/members/{moderator.pk}/",
        "/staff/moderation/",
        "/contact/",
    ):
        page.goto(url)
        expect(page.get_by_role("main")).to_be_visible()
