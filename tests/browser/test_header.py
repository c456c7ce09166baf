"""The site's chrome: a one-row header with a menu button on a phone, a bell drawn in SVG,
the footer at the bottom of a short page, readable danger buttons, and the staff menu
for staff only."""

import pytest
from playwright.sync_api import Page, expect

from accounts import roles
from branding.models import Brand
from tests.browser.test_brand import CONTRASTS
from tests.browser.test_csp import _log_in
from tests.factories import UserFactory, with_totp
from tests.moderation.helpers import answered, flag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


@pytest.fixture
def moderator(db):
    return with_totp(UserFactory(display_name="Mo Derator", role=roles.MODERATORS))


@pytest.fixture
def open_case(db, forum):
    """A flagged answer in the review queue: its row has the danger button Remove."""
    return flag(answered(forum=forum)[1]).case


def test_on_a_phone_the_header_is_one_row_and_the_menu_button_opens_the_nav(
    phone_page: Page, live_server, member
):
    _log_in(phone_page, member, url=live_server.url)
    phone_page.goto("/")
    header = _box(phone_page, ".site-header")
    brand, button, bell = (
        _box(phone_page, s) for s in (".brand", ".menu-button", "#notification-bell")
    )

    assert header["height"] < 70, f"the header is {header['height']} px high"
    middles = [box["y"] + box["height"] / 2 for box in (brand, button, bell)]
    assert max(middles) - min(middles) < 8, "brand, menu button and bell share one row"
    nav = phone_page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()

    phone_page.get_by_text("Menu", exact=True).click()

    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="My points")).to_be_visible()
    expect(phone_page.get_by_role("searchbox", name="Search the community")).to_be_visible()
    assert _box(phone_page, ".site-header")["height"] == header["height"]  # drops over the page


def test_the_bell_is_an_svg_and_keeps_its_name_and_count(page: Page, live_server, member):
    _log_in(page, member, url=live_server.url)
    page.goto("/")

    bell = page.get_by_role("link", name="Notifications", exact=True)
    expect(bell).to_be_visible()
    expect(bell.locator("svg[aria-hidden=true]")).to_have_count(1)
    assert bell.locator("svg").bounding_box()["width"] >= 16


def test_on_a_short_page_the_footer_is_at_the_bottom_of_the_window(page: Page, live_server):
    page.goto("/accounts/login/")

    footer = _box(page, ".site-footer")
    height = page.evaluate("window.innerHeight")
    assert page.evaluate("document.documentElement.scrollHeight") == height, "a short page"
    assert footer["y"] + footer["height"] == pytest.approx(height, abs=1)


def test_danger_buttons_are_readable_also_in_a_brands_colours(
    page: Page, live_server, moderator, open_case
):
    _log_in(page, moderator, url=live_server.url)
    brand = Brand.load()
    for colours in [None, ("#7a1f5c", "#ffffff"), ("#a61b1b", "#ffffff")]:
        if colours:
            brand.color_brand, brand.color_brand_ink = colours
            brand.full_clean()
            brand.save()
        page.goto("/staff/moderation/")
        expect(page.get_by_role("button", name="Remove")).to_be_visible()

        [(_selector, ratio)] = page.evaluate(CONTRASTS, ["button.danger"])

        assert ratio >= 4.5, f"brand {colours}: contrast {ratio:.2f}:1"


def test_the_staff_menu_shows_a_moderator_the_queue_with_its_count(
    page: Page, live_server, moderator, open_case
):
    _log_in(page, moderator, url=live_server.url)
    page.goto("/")

    summary = page.locator(".staff-menu > summary")
    expect(summary).to_contain_text("Staff")
    expect(summary).to_contain_text("1 item waiting")
    summary.click()

    staff = page.get_by_role("navigation", name="Staff")
    queue = staff.get_by_role("link", name="Review queue")
    expect(queue).to_have_text("Review queue 1")
    expect(staff.get_by_role("link", name="Settlements")).to_have_count(0)  # not a moderator's
    queue.click()
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()


def test_a_member_has_no_staff_menu(page: Page, live_server, member):
    _log_in(page, member, url=live_server.url)
    page.goto("/")

    expect(page.get_by_role("link", name="My points")).to_be_visible()
    expect(page.get_by_role("navigation", name="Staff")).to_have_count(0)
    expect(page.locator(".staff-menu")).to_have_count(0)
