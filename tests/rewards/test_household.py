"""Household signals: salted hashes of a member's network and device, recorded once a day
per session, kept for the retention period only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.erasure import services as erasure
from rewards.fraud import household
from rewards.middleware import SESSION_KEY
from rewards.models import HouseholdSignal
from rewards.tasks import abuse as tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1"
HEADERS = {"REMOTE_ADDR": "84.150.12.34", "HTTP_USER_AGENT": PHONE, "HTTP_ACCEPT_LANGUAGE": "de"}


def signals(user) -> dict[str, str]:
    return dict(HouseholdSignal.objects.filter(user=user).values_list("kind", "digest"))


def test_a_page_view_stores_only_salted_hashes_of_network_and_device(member_client, member):
    member_client.get("/", **HEADERS)

    stored = signals(member)
    assert stored == {
        "network": household.signal_digest(kind="network", value="84.150.12.0/24"),
        "device": household.signal_digest(kind="device", value=f"{PHONE}\nde"),
    }
    for digest in stored.values():
        assert len(digest) == 64 and int(digest, 16) >= 0
        assert "84.150" not in digest and "iPhone" not in digest


def test_the_hash_is_keyed_with_the_secret_key(settings):
    before = household.signal_digest(kind="network", value="84.150.12.0/24")

    settings.SECRET_KEY = "another-secret-key-for-another-site"

    assert household.signal_digest(kind="network", value="84.150.12.0/24") != before


def test_signals_are_recorded_once_a_day_per_session(member_client, member):
    member_client.get("/", **HEADERS)
    HouseholdSignal.objects.all().delete()

    member_client.get("/", **HEADERS)
    assert not signals(member)

    session = member_client.session
    session[SESSION_KEY] = (timezone.localdate() - timedelta(days=1)).isoformat()
    session.save()
    member_client.get("/", **HEADERS)
    assert set(signals(member)) == {"network", "device"}


def test_seeing_a_signal_again_updates_its_day_instead_of_adding_a_row(member):
    household.household_record(user=member, ip="84.150.12.34", user_agent=PHONE, accept_language="")
    HouseholdSignal.objects.update(last_seen=timezone.localdate() - timedelta(days=3))

    household.household_record(user=member, ip="84.150.12.99", user_agent=PHONE, accept_language="")

    rows = HouseholdSignal.objects.filter(user=member)
    assert rows.count() == 2
    assert {row.last_seen for row in rows} == {timezone.localdate()}


@pytest.mark.parametrize(
    ("first", "second"),
    [("84.150.12.34", "84.150.12.250"), ("2a02:8108:1:2:a::1", "2a02:8108:1:2:ffff::9")],
)
def test_addresses_in_one_slash_24_or_slash_64_are_one_network(first, second):
    assert household.network_of(first) == household.network_of(second) is not None


def test_addresses_in_neighbouring_networks_differ():
    assert household.network_of("84.150.12.34") != household.network_of("84.150.13.34")
    assert household.network_of("2a02:8108:1:2::1") != household.network_of("2a02:8108:1:3::1")


@pytest.mark.parametrize("ip", ["", "garbage", "999.1.1.1", "127.0.0.1", "10.1.2.3", "::1"])
def test_garbage_and_private_addresses_give_no_network_signal(ip):
    assert household.network_of(ip) is None


def test_garbage_or_missing_headers_never_fail_a_page(member_client, member):
    response = member_client.get(
        "/", REMOTE_ADDR="not an address", HTTP_USER_AGENT="\x00\xff" * 300
    )

    assert response.status_code == 200
    assert set(signals(member)) == {"device"}


def test_without_a_user_agent_no_device_signal_is_stored(member_client, member):
    member_client.get("/", REMOTE_ADDR="84.150.12.34")

    assert set(signals(member)) == {"network"}


def test_behind_a_trusted_proxy_the_forwarded_address_counts(member_client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    member_client.get(
        "/",
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 84.150.12.34",
        HTTP_USER_AGENT=PHONE,
    )

    assert signals(member)["network"] == household.signal_digest(
        kind="network", value="84.150.12.0/24"
    )


def test_a_forwarded_address_is_ignored_when_the_client_connects_directly(member_client, member):
    member_client.get("/", REMOTE_ADDR="84.150.12.34", HTTP_X_FORWARDED_FOR="91.1.1.1")

    assert signals(member)["network"] == household.signal_digest(
        kind="network", value="84.150.12.0/24"
    )


def test_visitors_leave_no_signals(client):
    client.get("/", **HEADERS)

    assert not HouseholdSignal.objects.exists()


def test_the_sweep_deletes_signals_older_than_the_retention(member, other_member):
    household.household_record(user=member, ip="84.150.12.34", user_agent=PHONE, accept_language="")
    household.household_record(
        user=other_member, ip="84.150.12.34", user_agent=PHONE, accept_language=""
    )
    HouseholdSignal.objects.filter(user=member).update(
        last_seen=timezone.localdate() - timedelta(days=31)
    )

    assert tasks.household_sweep() == 2

    assert not HouseholdSignal.objects.filter(user=member).exists()
    assert HouseholdSignal.objects.filter(user=other_member).count() == 2


def test_erasing_a_member_deletes_their_signals(member):
    household.household_record(user=member, ip="84.150.12.34", user_agent=PHONE, accept_language="")
    other = UserFactory()
    household.household_record(user=other, ip="84.150.12.34", user_agent=PHONE, accept_language="")

    erasure.erase_now(user=member)

    assert list(HouseholdSignal.objects.values_list("user_id", flat=True).distinct()) == [other.pk]
