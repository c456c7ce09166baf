"""Playwright (sync API) drives Debian's headless Chromium against pytest-django's live server.

Every page a test opens is watched for Content-Security-Policy violations (an inline script
or style, eval, a source from elsewhere): any one fails the test when its page closes."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
# What Chromium writes to the console when the policy blocks something.
CSP_MARKERS = ("Content Security Policy", "Refused to")
# The browser's own event as well, in case a violation writes no console message.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy: ${event.effectiveDirective} refused ${event.blockedURI || "?"}`
  + ` (${event.sourceFile || location.href}:${event.lineNumber})`
));
"""

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module", autouse=True)
def orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread, so Django would refuse the
    test's own ORM calls (factories, assertions) as async-unsafe. Allowed for browser tests
    only: the flag must not leak into other tests or their subprocesses."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(orm_beside_playwright) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_csp(context: BrowserContext) -> list[str]:
    """The CSP violations of every page of `context`, as they happen."""
    violations: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in CSP_MARKERS):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.add_init_script(REPORT_VIOLATIONS)
    context.on("console", collect)
    return violations


def _page(browser: Browser, base_url: str, **context_options) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="en-GB", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    violations = watch_csp(context)
    try:
        yield context.new_page()
    finally:
        context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser profile (no cookies) on a desktop-sized window."""
    yield from _page(browser, live_server.url, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[Page]:
    """A fresh browser profile on a phone-sized screen (390 x 844, as an iPhone 12-15)."""
    yield from _page(
        browser,
        live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
