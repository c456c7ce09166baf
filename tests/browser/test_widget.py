"""A customer on a brand's help centre finds a community answer in the embedded widget,
reads it and says it solved their problem: a deflection of the source "widget", and not
one cookie in their browser. On another site the widget works only if that site's origin
is allowed."""

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from accounts import roles
from community import services as community
from insights.models import Event, EventKind
from tests.browser.conftest import watch_csp
from tests.factories import ForumFactory, UserFactory, make_answer, make_question
from tests.widget.conftest import solved_question
from widget.models import AllowedOrigin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def internet():
    forum = ForumFactory(name="Internet", slug="internet")
    asker = UserFactory()
    router = make_question(author=asker, forum=forum, title="Router loses Wi-Fi every night")
    # By support: an official answer, whose link is not held for review.
    answer = make_answer(
        question=router,
        author=UserFactory(role=roles.SUPPORT_LEADS),
        body="Hold the **reset** button for ten seconds, see [the guide](/forums/internet/).",
    )
    community.answer_accept(answer=answer, by=asker)
    solved_question(
        forum,
        title="Voicemail cannot be switched off",
        body="It answers every call at once.",
        answer="Dial 333 to switch it off.",
    )
    router.refresh_from_db()
    return router


def test_a_customer_finds_an_answer_in_the_widget_and_it_solved_their_problem(
    page: Page, live_server, internet
):
    page.goto("/widget/demo/?topic=internet&lang=en")
    widget = page.get_by_role("region", name="Answers from our community")
    expect(
        widget.get_by_role("heading", name="Most helpful answers about Internet")
    ).to_be_visible()
    search = widget.get_by_label("Search the community")

    search.fill("rout")

    expect(widget.get_by_text("1 answer found.")).to_be_visible()
    result = widget.get_by_role("button", name=re.compile("^Router loses Wi-Fi every night"))
    expect(result).to_be_visible()
    expect(widget.get_by_role("button", name=re.compile("^Voicemail"))).to_have_count(0)

    # The keyboard: down into the answers, Enter opens one, its title takes the focus.
    search.press("ArrowDown")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    title = widget.get_by_role("heading", name="Router loses Wi-Fi every night")
    expect(title).to_be_focused()
    expect(widget.get_by_role("article").get_by_text("Official answer")).to_be_visible()
    expect(widget.locator(".pd-body strong")).to_have_text("reset")
    # Links lead to the community, in a new tab: the guide's relative one too.
    guide = widget.get_by_role("link", name="the guide")
    expect(guide).to_have_attribute("href", f"{live_server.url}/forums/internet/")
    thread = widget.get_by_role("link", name=re.compile("^Read the whole thread"))
    expect(thread).to_have_attribute("target", "_blank")
    expect(thread).to_have_attribute("rel", "noopener")
    expect(thread).to_have_attribute(
        "href", f"{live_server.url}{internet.accepted_answer.get_absolute_url()}"
    )

    widget.get_by_role("button", name="This solved my problem").click()

    expect(widget.get_by_text("Thank you! We are glad it helped.")).to_be_visible()
    expect(widget.get_by_role("button", name="This solved my problem")).to_be_disabled()
    event = Event.objects.get(kind=EventKind.WIDGET_SOLVED)
    assert (event.question_id, event.answer_id) == (internet.pk, internet.accepted_answer_id)
    assert page.context.cookies() == []

    # Back to the answers, on the one that was opened.
    widget.get_by_role("button", name="Back to the answers").click()
    expect(result).to_be_focused()


@pytest.fixture
def help_centre(live_server) -> Iterator[Callable[[str], str]]:
    """A brand's own help centre: another origin, served by a server of its own (Chromium
    lets a page load from the community's loopback address only a page served from one).
    Gives a function that publishes a page embedding the widget, in a language, and says
    its address."""
    pages: dict[str, bytes] = {}

    class HelpCentre(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), HelpCentre)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"

    def publish(lang: str) -> str:
        path = f"/help/{lang}/"
        pages[path] = (
            f'<!doctype html><html lang="{lang}"><head><title>Help</title></head><body>'
            "<h1>Help centre</h1>"
            f'<script src="{live_server.url}/widget.js" data-topic="internet" async></script>'
            "</body></html>"
        ).encode()
        return origin + path

    publish.origin = origin  # type: ignore[attr-defined]
    yield publish
    server.shutdown()
    server.server_close()


def test_on_an_allowed_site_the_widget_speaks_the_pages_language(
    browser, live_server, internet, help_centre
):
    AllowedOrigin.objects.create(origin=help_centre.origin)
    context = browser.new_context()
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(help_centre("de-DE"))

    page.get_by_label("Community durchsuchen").fill("router")
    page.get_by_role("button", name=re.compile("^Router loses Wi-Fi")).click()
    page.get_by_role("button", name="Das hat mein Problem gelöst").click()

    expect(page.get_by_text("Danke! Schön, dass es geholfen hat.")).to_be_visible()
    assert Event.objects.filter(kind=EventKind.WIDGET_SOLVED).count() == 1
    assert context.cookies() == []
    context.close()
    assert violations == []


def test_on_a_site_not_allowed_the_widget_shows_nothing(
    browser, live_server, internet, help_centre
):
    context = browser.new_context()
    page = context.new_page()
    with page.expect_console_message(lambda message: "Peerdesk widget" in message.text):
        page.goto(help_centre("en"))

    expect(page.get_by_label("Search the community")).to_have_count(0)
    context.close()
