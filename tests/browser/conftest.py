"""Playwright (sync API) drives Debian's headless Chromium against pytest-django's live server."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

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


def _page(browser: Browser, base_url: str, **context_options) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="en-GB", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


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
