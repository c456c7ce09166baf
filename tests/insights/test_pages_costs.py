"""The costs page (/staff/insights/costs/): a support lead sets what a contact costs per
channel, typed in their language; bad input changes nothing."""

from decimal import Decimal

import pytest
from django.apps import apps

from accounts import roles
from insights.defaults import ensure_insights_defaults
from insights.models import Channel, ChannelCost, InsightsSettings
from tests.factories import UserFactory, with_totp

# The consent purposes come before any member is made (the fixture `purposes`, tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

COSTS = "/staff/insights/costs/"


@pytest.fixture(autouse=True)
def _channels():
    """The rows the data migration makes (a transactional test elsewhere may have flushed them)."""
    ensure_insights_defaults(apps)


@pytest.fixture
def lead_client(client):
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS)))
    return client


def _form(**costs) -> dict:
    data = {"cost_phone": "1.50", "cost_email": "1.50", "cost_chat": "1.50", "cost_form": "1.50"}
    data.update({f"cost_{channel}": value for channel, value in costs.items()})
    data.setdefault("community_channel", Channel.PHONE)
    return data


def _costs() -> dict[str, Decimal]:
    return dict(ChannelCost.objects.values_list("channel", "cost"))


def test_the_page_shows_the_costs_in_force(lead_client):
    ChannelCost.objects.filter(channel=Channel.PHONE).update(cost=Decimal("4.20"))

    html = lead_client.get(COSTS).content.decode()

    assert 'name="cost_phone" value="4.20"' in html
    assert 'inputmode="decimal"' in html


def test_a_lead_sets_the_costs_and_the_channel(lead_client):
    data = _form(phone="7.25", chat="0") | {"community_channel": Channel.CHAT}

    response = lead_client.post(COSTS, data, follow=True)

    assert response.redirect_chain[-1][0] == COSTS
    assert "Saved." in response.content.decode()
    assert _costs()[Channel.PHONE] == Decimal("7.25")
    assert _costs()[Channel.CHAT] == Decimal("0.00")
    assert InsightsSettings.load().community_channel == Channel.CHAT


def test_german_costs_are_typed_with_a_decimal_comma(lead_client):
    lead_client.cookies["peerdesk_language"] = "de"
    assert 'name="cost_phone" value="1,50"' in lead_client.get(COSTS).content.decode()

    response = lead_client.post(COSTS, _form(phone="2,75", email="1234,5"))

    assert response.status_code == 302
    assert _costs()[Channel.PHONE] == Decimal("2.75")
    assert _costs()[Channel.EMAIL] == Decimal("1234.50")


@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "greater than or equal to 0"),
        ("10000.01", "less than or equal to 10000"),
        ("1.505", "2 decimal places"),
        ("abc", "Enter a number"),
        ("", "This field is required"),
    ],
)
def test_bad_costs_show_errors_and_save_nothing(lead_client, value, message):
    before = _costs()

    response = lead_client.post(COSTS, _form(phone=value, email="9.99"))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["cost_phone"])
    assert _costs() == before


def test_an_english_reader_may_not_type_a_comma(lead_client):
    response = lead_client.post(COSTS, _form(phone="2,75"))

    assert response.status_code == 400
    assert _costs()[Channel.PHONE] == Decimal("1.50")


def test_an_unknown_channel_is_refused(lead_client):
    response = lead_client.post(COSTS, _form() | {"community_channel": "pigeon"})

    assert response.status_code == 400
    assert InsightsSettings.load().community_channel == Channel.PHONE


def test_members_may_not_set_costs(client, member):
    client.force_login(member)

    assert client.post(COSTS, _form(phone="9")).status_code == 403
    assert _costs()[Channel.PHONE] == Decimal("1.50")


def test_the_admin_lists_the_insights_models_read_only_where_services_write(client):
    admin = with_totp(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(admin)

    assert client.get("/admin/insights/channelcost/").status_code == 200
    assert client.get("/admin/insights/insightssettings/").status_code == 302
    assert client.get("/admin/insights/event/").status_code == 200
    assert client.get("/admin/insights/event/add/").status_code == 403
    assert client.get("/admin/insights/contactrequest/").status_code == 200
    assert client.get("/admin/insights/contactrequest/add/").status_code == 403
