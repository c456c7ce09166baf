"""The site in a brand's colours and logo: readable, and within the Content-Security-
Policy (the `page` fixture fails a test on any violation)."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from branding.models import Brand, FooterLink
from tests.browser.test_csp import _log_in
from tests.factories import ForumFactory, UserFactory, make_question

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10">'
    b'<rect width="40" height="10" fill="#7a1f5c"/></svg>'
)

# The contrast of each element's text with the background it is drawn on (the nearest
# ancestor with an opaque background), as WCAG 2 computes it.
CONTRASTS = """(selectors) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { for (; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (rgb(c).length === 3 || rgb(c)[3] === 1) return c; } return "rgb(255, 255, 255)"; };
  return selectors.map((s) => { const el = document.querySelector(s);
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(background(el)))];
    return [s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; });
}"""
CHECKED = [
    ".site-header .site-nav a:not(.button)",
    ".site-header .button",
    ".site-header .header-search button",
    "main a",
    ".site-footer a",
]


@pytest.fixture
def brand(db) -> Brand:
    brand = Brand.load()
    brand.name = "Telco Community"
    brand.color_brand, brand.color_brand_ink = "#7a1f5c", "#ffffff"
    brand.color_header, brand.color_header_ink = "#1d2b3a", "#f4f4f4"
    brand.imprint = "Telco GmbH, Berlin"
    brand.logo.save("logo.svg", ContentFile(LOGO), save=False)
    brand.full_clean()
    brand.save()
    FooterLink.objects.create(brand=brand, label="Shop", url="https://shop.example")
    return brand


def _readable(page: Page) -> None:
    for selector, ratio in page.evaluate(CONTRASTS, CHECKED):
        assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f}:1"


def test_a_visitor_sees_the_brand_readable_everywhere(page: Page, live_server, brand):
    question = make_question(forum=ForumFactory(), title="Roaming in Spain?")

    page.goto("/")
    expect(page.get_by_role("img", name="Telco Community")).to_be_visible()
    expect(page).to_have_title("Community · Telco Community")
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 43, 58)"
    _readable(page)

    page.goto(question.get_absolute_url())
    _readable(page)
    page.get_by_role("link", name="Imprint").click()
    expect(page.get_by_text("Telco GmbH, Berlin")).to_be_visible()


def test_a_member_sees_the_brand_readable_on_their_pages(page: Page, live_server, brand):
    member = UserFactory()
    make_question(forum=ForumFactory(), title="Roaming in Spain?")
    _log_in(page, member, url=live_server.url)

    page.goto("/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _readable(page)
