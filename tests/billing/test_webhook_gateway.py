"""The webhook gateway against a fake billing system on a real socket."""

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from billing.gateway import (
    Credit,
    GatewayError,
    Outcome,
    WebhookGateway,
    _credit_result,
    get_gateway,
)
from tests.config.conftest import bare_environment, run_python
from tests.fakes.billing_server import SECRET


def credit(key="settlement:1:7", amount_cents=1250) -> Credit:
    return Credit(
        key=key,
        customer_number="AB123456",
        amount_cents=amount_cents,
        currency="EUR",
        reference="Peerdesk points 2026-11",
    )


def test_a_credit_is_posted_signed_as_documented(billing_server):
    [result] = get_gateway().send_credits([credit()])

    [request] = billing_server.requests
    assert result.outcome == Outcome.CONFIRMED
    assert result.reference == "fake-1"
    assert request["payload"] == {
        "type": "credit",
        "idempotency_key": "settlement:1:7",
        "customer_number": "AB123456",
        "amount": "12.50",
        "currency": "EUR",
        "reference": "Peerdesk points 2026-11",
    }
    assert request["headers"]["Idempotency-Key"] == "settlement:1:7"
    assert request["headers"]["X-Peerdesk-Signature"].startswith("sha256=")


def test_amounts_are_sent_as_decimal_euros(billing_server):
    get_gateway().send_credits([credit(key="a", amount_cents=5), credit(key="b", amount_cents=100)])

    assert [r["payload"]["amount"] for r in billing_server.requests] == ["0.05", "1.00"]


def test_a_wrong_secret_fails_the_servers_signature_check(billing_server, settings):
    settings.BILLING_WEBHOOK_SECRET = "not-the-secret"

    [result] = get_gateway().send_credits([credit()])

    assert result.outcome == Outcome.REJECTED
    assert result.error == "HTTP 401: bad signature"
    assert billing_server.applied == {}


@pytest.mark.parametrize(
    ("mode", "outcome", "applied"),
    [
        ("accept", Outcome.CONFIRMED, True),
        ("twice", Outcome.CONFIRMED, True),
        ("fail", Outcome.UNKNOWN, False),
        ("reject", Outcome.REJECTED, False),
        ("timeout", Outcome.UNKNOWN, True),
        ("garbage", Outcome.UNKNOWN, True),
    ],
)
def test_each_answer_maps_to_its_outcome(billing_server, mode, outcome, applied):
    billing_server.mode = mode

    [result] = get_gateway().send_credits([credit()])

    assert result.outcome == outcome
    assert result.key == "settlement:1:7"
    assert ("settlement:1:7" in billing_server.applied) is applied
    assert bool(result.error) is (outcome != Outcome.CONFIRMED)


@pytest.mark.parametrize(("mode", "status"), [("accept", 409), ("twice", 200)])
def test_a_key_the_billing_system_already_applied_is_confirmed(billing_server, mode, status):
    get_gateway().send_credits([credit()])
    billing_server.mode = mode

    [result] = get_gateway().send_credits([credit()])

    assert result.outcome == Outcome.CONFIRMED
    assert result.reference == "fake-1"
    assert len(billing_server.applied) == 1


def test_a_timeout_after_the_billing_system_applied_is_unknown_and_resending_applies_once(
    billing_server,
):
    billing_server.mode = "timeout"
    [lost] = get_gateway().send_credits([credit()])
    billing_server.mode = "accept"

    [resent] = get_gateway().send_credits([credit()])

    assert lost.outcome == Outcome.UNKNOWN
    assert lost.error == "no answer in time"
    assert resent.outcome == Outcome.CONFIRMED
    assert len(billing_server.requests) == 2
    assert list(billing_server.applied) == ["settlement:1:7"]


def test_a_batch_gives_one_result_per_credit_in_order_over_one_connection(billing_server):
    keys = [f"settlement:1:{n}" for n in range(5)]

    results = get_gateway().send_credits([credit(key=key) for key in keys])

    assert [r.key for r in results] == keys
    assert {r.outcome for r in results} == {Outcome.CONFIRMED}
    assert len({r["port"] for r in billing_server.requests}) == 1


def test_a_billing_system_that_is_down_gives_unknown_outcomes(billing_server):
    billing_server.stop()

    results = get_gateway().send_credits([credit(key="a"), credit(key="b")])

    assert [r.outcome for r in results] == [Outcome.UNKNOWN, Outcome.UNKNOWN]
    assert results[0].error.startswith("could not reach the billing system")


def test_a_verification_code_is_posted_signed(billing_server):
    get_gateway().send_verification_code(customer_number="AB123456", code="042042", language="de")

    [request] = billing_server.requests
    assert billing_server.messages == [
        {
            "type": "verification_code",
            "customer_number": "AB123456",
            "code": "042042",
            "language": "de",
        }
    ]
    assert request["headers"]["Idempotency-Key"].startswith("verification-")


@pytest.mark.parametrize("mode", ["fail", "reject", "timeout"])
def test_a_verification_code_that_is_not_sent_raises(billing_server, mode):
    billing_server.mode = mode

    with pytest.raises(GatewayError):
        get_gateway().send_verification_code(
            customer_number="AB123456", code="042042", language="en"
        )


@pytest.mark.parametrize(
    "url",
    ["http://billing.example.com/hook", "ftp://localhost/hook", "https://", "", "not a url"],
)
def test_a_webhook_url_must_be_https_except_to_localhost(url):
    with pytest.raises(ImproperlyConfigured, match="BILLING_WEBHOOK_URL"):
        WebhookGateway(url=url, secret=SECRET, timeout=1)


@pytest.mark.parametrize("url", ["https://billing.example.com/hook", "http://localhost:8080/h"])
def test_https_and_local_http_urls_are_accepted(url):
    assert WebhookGateway(url=url, secret=SECRET, timeout=1).url == url


def test_the_webhook_needs_a_secret(settings):
    settings.BILLING_GATEWAY = "webhook"
    settings.BILLING_WEBHOOK_URL = "https://billing.example.com/hook"
    settings.BILLING_WEBHOOK_SECRET = ""

    with pytest.raises(ImproperlyConfigured, match="BILLING_WEBHOOK_SECRET"):
        get_gateway()


def test_an_unknown_gateway_is_refused(settings):
    settings.BILLING_GATEWAY = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="BILLING_GATEWAY"):
        get_gateway()


def test_the_site_refuses_to_start_with_a_webhook_without_secret():
    env = bare_environment() | {
        "DEBUG": "true",
        "BILLING_GATEWAY": "webhook",
        "BILLING_WEBHOOK_URL": "https://billing.example.com/hook",
    }

    result = run_python("-c", "import django; django.setup()", env=env)

    assert result.returncode != 0
    assert "BILLING_WEBHOOK_SECRET must be set" in result.stderr


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (201, {"status": "accepted", "reference": 42}, Outcome.CONFIRMED),
        (200, {"status": "ok"}, Outcome.UNKNOWN),
        (200, ["accepted"], Outcome.UNKNOWN),
        (302, {}, Outcome.UNKNOWN),
        (408, {}, Outcome.UNKNOWN),
        (429, {"detail": "slow down"}, Outcome.UNKNOWN),
        (400, {"detail": "unknown customer"}, Outcome.REJECTED),
        (503, {}, Outcome.UNKNOWN),
    ],
)
def test_unexpected_answers_are_unknown_and_only_definite_refusals_rejected(status, body, outcome):
    result = _credit_result("k", httpx.Response(status, json=body))

    assert result.outcome == outcome
