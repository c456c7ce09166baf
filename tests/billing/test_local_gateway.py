"""The local gateway: credits and codes recorded in the database, for demos."""

import logging

import pytest

from billing.gateway import Credit, LocalGateway, Outcome, get_gateway
from billing.models import LocalCredit, LocalMessage

pytestmark = pytest.mark.django_db


def credit(key="settlement:1:7", **fields) -> Credit:
    values = {
        "customer_number": "AB123456",
        "amount_cents": 1250,
        "currency": "EUR",
        "reference": "Peerdesk points 2026-11",
    }
    return Credit(key=key, **values | fields)


def test_the_local_gateway_is_the_default():
    assert isinstance(get_gateway(), LocalGateway)


def test_a_credit_is_recorded_and_confirmed():
    [result] = LocalGateway().send_credits([credit()])

    row = LocalCredit.objects.get()
    assert result.outcome == Outcome.CONFIRMED
    assert result.key == "settlement:1:7"
    assert result.reference == f"local-{row.pk}"
    assert (row.customer_number, row.amount_cents, row.currency) == ("AB123456", 1250, "EUR")


def test_a_repeated_key_is_applied_once_and_confirmed_again():
    first = LocalGateway().send_credits([credit(), credit(key="settlement:1:8")])

    again = LocalGateway().send_credits([credit(amount_cents=999), credit(key="settlement:1:9")])

    assert [r.outcome for r in first + again] == [Outcome.CONFIRMED] * 4
    assert again[0].reference == first[0].reference
    assert LocalCredit.objects.count() == 3
    assert LocalCredit.objects.get(key="settlement:1:7").amount_cents == 1250


def test_a_credit_the_table_cannot_hold_is_rejected_alone():
    results = LocalGateway().send_credits(
        [credit(key="a"), credit(key="b", customer_number="X" * 65), credit(key="c")]
    )

    assert [r.outcome for r in results] == [Outcome.CONFIRMED, Outcome.REJECTED, Outcome.CONFIRMED]
    assert results[1].error == "customer number too long"
    assert set(LocalCredit.objects.values_list("key", flat=True)) == {"a", "c"}


def test_an_empty_batch_sends_nothing():
    assert LocalGateway().send_credits([]) == []


def test_a_credit_needs_a_positive_amount():
    with pytest.raises(ValueError, match="positive amount"):
        credit(amount_cents=0)


def test_a_verification_code_is_recorded_and_logged_for_the_demo(caplog):
    with caplog.at_level(logging.INFO, logger="billing.gateway"):
        LocalGateway().send_verification_code(
            customer_number="AB123456", code="123456", language="de"
        )

    message = LocalMessage.objects.get()
    assert (message.customer_number, message.code, message.language) == ("AB123456", "123456", "de")
    assert "verification code for customer AB123456 is 123456" in caplog.text
