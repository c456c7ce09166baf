import pytest
from django.test import RequestFactory

from accounts.adapter import AccountAdapter
from core.net import client_ip, network_of


def request(remote: str, forwarded: str = "", **headers):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", headers=headers, **meta)


def test_a_client_that_connects_directly_cannot_claim_another_address():
    assert client_ip(request("84.150.12.34", "91.1.1.1")) == "84.150.12.34"


def test_by_default_a_private_peer_is_no_proof_of_a_proxy():
    """docker-proxy and Kubernetes Services relay clients from private addresses."""
    assert client_ip(request("172.18.0.1", "84.150.12.34")) == "172.18.0.1"


def test_behind_one_proxy_the_last_entry_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request("10.0.0.5", "6.6.6.6, 84.150.12.34")) == "84.150.12.34"


def test_behind_a_cdn_and_a_load_balancer_the_second_entry_from_the_right_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # The client forged the first entry; the CDN appended the client, the balancer the CDN.
    forged = request("10.0.0.5", "6.6.6.6, 84.150.12.34, 198.51.100.7")

    assert client_ip(forged) == "84.150.12.34"


def test_zero_trusted_proxies_ignores_forwarded_addresses_even_from_a_private_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request("10.0.0.5", "84.150.12.34")) == "10.0.0.5"


def test_a_trusted_client_ip_header_wins(settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "CF-Connecting-IP"

    behind_cdn = request("10.0.0.5", "6.6.6.6", **{"CF-Connecting-IP": "84.150.12.34"})

    assert client_ip(behind_cdn) == "84.150.12.34"


@pytest.mark.parametrize("garbage", ["not an address", "84.150.12.34\x00", "1.2.3.4.5"])
def test_an_unparsable_forwarded_address_falls_back_to_the_peer(garbage):
    assert client_ip(request("10.0.0.5", garbage)) == "10.0.0.5"


def test_allauths_login_throttles_count_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert AccountAdapter().get_client_ip(request("10.0.0.5", "84.150.12.34, 198.51.100.7")) == (
        "84.150.12.34"
    )


def test_networks_are_a_slash_24_or_an_ipv6_site():
    assert network_of("84.150.12.34") == "84.150.12.0/24"
    assert network_of("2a02:8108:1:2::1") == network_of("2a02:8108:1:ffff::9") == "2a02:8108:1::/48"
    assert network_of("::ffff:84.150.12.34") == "84.150.12.0/24"
    assert network_of("10.1.2.3") == "10.1.2.0/24"
    assert network_of("10.1.2.3", public_only=True) is None
    assert network_of("garbage") is None
