"""The dashboard page (/staff/insights/): who may see it, the figures of a period against
the known history (tests/insights/history.py), htmx updates, bad periods, and that every
summary number links to the list it counts."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from accounts import roles
from insights.periods import this_month
from insights.templatetags.insights_tags import NO_VALUE, change, duration, percent
from tests.factories import ForumFactory, UserFactory, with_totp
from tests.insights.history import (
    history_fixture,  # noqa: F401 (the fixture `history`)
)

# The consent purposes come before any member is made (the fixture `purposes`, tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

DASHBOARD = "/staff/insights/"
PAGES = [
    DASHBOARD,
    "/staff/insights/events/",
    "/staff/insights/questions/",
    "/staff/insights/points/",
    "/staff/insights/costs/",
    "/staff/insights/export/?table=forums",
]
JANUARY = {"from": "2024-01-01", "to": "2024-01-31"}
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "insights-figures"}


@pytest.fixture
def lead_client(client):
    """A support lead of their own (the history has a "Sue Support" already)."""
    client.force_login(with_totp(UserFactory(role=roles.SUPPORT_LEADS)))
    return client


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="insights-card">(.*?)</li>', html, re.S)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _card(html: str, label: str) -> str:
    """The text of the card with this label."""
    found = [_text(card) for card in _cards(html) if f">{label}</h3>" in card]
    assert len(found) == 1, label
    return found[0]


# --- Who may see it ------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", PAGES)
def test_members_without_the_role_get_a_page_that_says_why(client, member, url):
    client.force_login(member)

    response = client.get(url)

    assert response.status_code == 403
    assert "Only support leads and community managers" in response.content.decode()


@pytest.mark.parametrize("role", [roles.MODERATORS])
def test_moderators_may_not_see_it_either(client, role):
    client.force_login(with_totp(UserFactory(role=role)))

    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("role", [roles.SUPPORT_LEADS, roles.COMMUNITY_MANAGERS])
@pytest.mark.parametrize("url", PAGES)
def test_support_leads_and_community_managers_see_every_page(client, role, url):
    client.force_login(with_totp(UserFactory(role=role)))

    assert client.get(url).status_code == 200


def test_the_settings_page_links_to_the_dashboard_for_those_who_may_see_it(client, member):
    lead = with_totp(UserFactory(role=roles.SUPPORT_LEADS))
    settings_url = reverse("accounts:settings")

    client.force_login(lead)
    assert f'href="{DASHBOARD}"' in client.get(settings_url).content.decode()
    client.force_login(member)
    assert f'href="{DASHBOARD}"' not in client.get(settings_url).content.decode()


def test_the_escalations_page_links_to_the_dashboard(lead_client):
    assert f'href="{DASHBOARD}"' in lead_client.get(reverse("escalations:list")).content.decode()


# --- The figures ---------------------------------------------------------------------


def test_the_dashboard_shows_this_month_by_default(lead_client):
    response = lead_client.get(DASHBOARD)
    month = this_month()

    assert response.status_code == 200
    form = response.context["form"]
    assert form["from"].value() == month.start.isoformat()
    assert form["to"].value() == month.end.isoformat()
    assert 'aria-current="true">This month</a>' in response.content.decode()


def test_the_cards_show_januarys_figures_against_decembers(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert _card(html, "Solved by a peer").startswith("Solved by a peer 2 EUR 4.60 saved")
    assert "Previous period: 1 up 1" in _card(html, "Solved by a peer")
    assert _card(html, "Deflected contacts") == "Deflected contacts 5 Previous period: 1 up 4"
    assert "EUR 10.00 Previous period: EUR 2.30 up EUR 7.70" in _card(html, "Gross savings")
    value = _card(html, "Value of points credited")
    assert value.startswith("Value of points credited EUR 1.48 148 points")
    assert "EUR 8.52" in _card(html, "Net savings")
    assert "33.3 %" in _card(html, "Contact-page deflection rate")
    assert "2 requests sent" in _card(html, "Contact-page deflection rate")
    assert "66.7 %" in _card(html, "Answered within 24 hours")
    assert "5 h Previous period: 1 h up 4 h" in _card(html, "Median time to first answer")
    assert "22 h" in _card(html, "90th percentile time to first answer")


def test_the_cost_per_contact_in_use_links_to_the_costs_page(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "Phone EUR 2.30; Contact form EUR 0.80." in _text(html)
    assert f'href="{reverse("insights:costs")}"' in html


def test_the_forum_table_has_each_forums_figures(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()
    row = _text(re.search(r'<tr id="forum-mobilfunk">(.*?)</tr>', html, re.S).group(1))

    assert row == "Mobilfunk 3 EUR 6.90 EUR 0.98 EUR 5.92 4 50.0 % (2 of 4) 5 h 1 d 1 h 50.0 %"


def test_top_contributors_are_only_listed_members_and_the_page_says_so(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "Only members who agreed to be listed" in html
    assert f'id="contributor-{history.petra.pk}"' in html
    assert "Paul Peer" not in html


def test_unanswered_and_escalated_questions_show_with_links_to_all(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert f'id="escalated-{history.questions["Q6"].pk}"' in html
    assert f'id="unanswered-{history.questions["Q6"].pk}"' in html
    assert "list=unanswered" in html and "list=escalated" in html


def test_every_summary_number_links_to_the_list_it_counts(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()
    cards = _cards(html)

    assert len(cards) == 14
    for card in cards:
        value = re.search(r'<p class="card-value"><a href="([^"]+)">', card).group(1)
        previous = re.search(r'<p class="card-previous">.*?<a href="([^"]+)">', card, re.S).group(1)
        for url in (value, previous):
            path = urlsplit(unescape(url)).path
            assert path in ("/staff/insights/events/", "/staff/insights/questions/",
                            "/staff/insights/points/"), card  # fmt: skip
        assert parse_qs(urlsplit(unescape(value)).query)["from"] == ["2024-01-01"]
        assert parse_qs(urlsplit(unescape(previous)).query)["from"] == ["2023-12-01"]
        for extra in re.findall(r'<p class="card-extra">(.*?)</p>', card, re.S):
            assert "<a href=" in extra, card


def test_the_numbers_under_the_charts_link_to_their_month(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "from=2024-01-01&amp;to=2024-01-31" in html
    assert "from=2023-02-01&amp;to=2023-02-28" in html  # the first of the 12 months


def test_the_charts_are_inline_svg_with_their_tables(lead_client, history):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert html.count('<svg class="chart"') == 4
    assert html.count("<details>") == 4
    assert "<script" not in html.split('id="insights-figures"')[1]


def test_figures_for_one_forum(lead_client, history):
    html = lead_client.get(DASHBOARD, {**JANUARY, "forum": "internet"}).content.decode()

    assert _card(html, "Deflected contacts").startswith("Deflected contacts 2 ")
    assert "forum Internet" in html
    assert "forum=internet" in html


def test_money_is_written_for_the_language(lead_client, history):
    with translation.override("de"):
        lead_client.cookies["peerdesk_language"] = "de"
        html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "EUR 10,00" in html


def test_a_forum_named_like_markup_is_escaped(lead_client, history):
    ForumFactory(name="<script>alert(1)</script>", slug="script")

    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- htmx and bad input --------------------------------------------------------------


def test_htmx_gets_only_the_figures_and_the_form_to_swap(lead_client, history):
    response = lead_client.get(DASHBOARD, JANUARY, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="insights-figures"')
    assert 'id="period-form"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_whole_page_comes(lead_client):
    html = lead_client.get(DASHBOARD, JANUARY).content.decode()

    assert "<html" in html
    assert 'hx-get="/staff/insights/"' in html
    assert 'hx-target="#insights-figures"' in html and 'hx-push-url="true"' in html


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"from": "2024-02-01", "to": "2024-01-01"}, "to", "before the start date"),
        ({"from": "1999-12-31", "to": "2024-01-01"}, "from", "on or after"),
        ({"from": "2024-01-01", "to": "3024-01-01"}, "to", "on or before"),
        ({"from": "2020-01-01", "to": "2024-01-01"}, "to", "at most"),
        ({"from": "yesterday", "to": "2024-01-01"}, "from", "YYYY-MM-DD"),
        ({"from": "2024-01-01", "to": "2024-01-31", "forum": "nope"}, "forum", "no forum"),
    ],
)
def test_a_bad_period_shows_the_errors_over_this_months_figures(lead_client, query, field, message):
    response = lead_client.get(DASHBOARD, query)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert response.context["period"] == this_month()


def test_a_bad_period_with_htmx_answers_400_with_the_errors_to_swap(lead_client):
    response = lead_client.get(DASHBOARD, {"from": "2024-02-01", "to": "2024-01-01"}, **HTMX)

    assert response.status_code == 400
    assert "before the start date" in response.content.decode()


def test_a_download_with_a_bad_period_says_why(lead_client):
    response = lead_client.get(
        "/staff/insights/export/", {"table": "forums", "from": "x", "to": "y"}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_table_is_not_found(lead_client):
    assert lead_client.get("/staff/insights/export/", {"table": "passwords"}).status_code == 404


def test_posting_to_the_dashboard_is_refused(lead_client):
    assert lead_client.post(DASHBOARD).status_code == 405


def test_a_user_who_may_see_but_not_set_costs_gets_no_costs_page(client):
    analyst = with_totp(UserFactory())
    analyst.user_permissions.add(Permission.objects.get(codename="analyse_event"))
    client.force_login(analyst)

    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/staff/insights/costs/").status_code == 403


# --- Writing figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    "minutes, text",
    [(0, "0 min"), (45, "45 min"), (60, "1 h"), (200, "3 h 20 min"), (1500, "1 d 1 h")],
)
def test_durations_read_at_a_glance(minutes, text):
    assert duration(timedelta(minutes=minutes)) == text


def test_a_missing_figure_is_a_dash():
    assert duration(None) == NO_VALUE == "\N{EN DASH}"
    assert percent(None) == NO_VALUE


def test_changes_read_without_colour():
    assert change(3, "count") == "up 3"
    assert change(Decimal("-1.5"), "money") == "down EUR 1.50"
    assert change(Decimal("0.025"), "rate") == "up 2.5 percentage points"
    assert change(0, "count") == "unchanged"
    assert change(None, "rate") == "no comparison"
    with translation.override("de"):
        assert percent(Decimal("0.3333")) == "33,3 %"
