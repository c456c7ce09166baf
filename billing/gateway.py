"""The billing gateway: how points become credits on customer accounts, and how a
verification code reaches a customer. Two implementations, chosen by BILLING_GATEWAY:
"local" records both in the database (demos, development); "webhook" posts signed JSON
to the company's billing system (the protocol is in docs/billing-webhook.md).

Exactly-once in effect: every credit carries an idempotency key that the billing system
dedups on, so resending a credit whose outcome was UNKNOWN never applies it twice.
"""

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from billing.models import CUSTOMER_NUMBER_MAX, LocalCredit, LocalMessage
from core.signing import signature

log = logging.getLogger(__name__)

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# A billing system that does not accept a connection quickly is down; waiting the whole
# BILLING_TIMEOUT for it would only stall the batch.
CONNECT_TIMEOUT_MAX = 3.0


@dataclass(frozen=True)
class Credit:
    key: str  # idempotency key; sent as the Idempotency-Key header
    customer_number: str
    amount_cents: int  # > 0
    currency: str  # "EUR"
    reference: str  # shown on the bill, e.g. "Peerdesk points 2026-11"

    def __post_init__(self) -> None:
        if not self.key or self.amount_cents <= 0:
            raise ValueError("A credit needs an idempotency key and a positive amount.")


class Outcome(StrEnum):
    CONFIRMED = "confirmed"  # billing system applied it (or had already applied this key)
    REJECTED = "rejected"  # billing system refused it definitively (4xx other than 409)
    UNKNOWN = "unknown"  # timeout, connection error, 5xx, garbage answer: may or may not be applied


@dataclass(frozen=True)
class CreditResult:
    key: str
    outcome: Outcome
    reference: str = ""  # billing system's id for the credit
    error: str = ""  # short, human-readable


class GatewayError(Exception):
    """The gateway could not do it (e.g. a verification code could not be sent)."""


class Gateway(Protocol):
    def send_credits(self, credits: Sequence[Credit]) -> list[CreditResult]:
        """One result per credit, in the same order; never raises for a per-credit problem."""
        ...

    def send_verification_code(self, *, customer_number: str, code: str, language: str) -> None:
        """Raises GatewayError when the code could not be sent."""
        ...


class LocalGateway:
    """Records credits and messages in the database, as the billing system would."""

    def send_credits(self, credits: Sequence[Credit]) -> list[CreditResult]:
        problems = {credit.key: _local_problem(credit) for credit in credits}
        # One statement; a key already recorded is skipped, so it is applied once.
        LocalCredit.objects.bulk_create(
            [
                LocalCredit(
                    key=credit.key,
                    customer_number=credit.customer_number,
                    amount_cents=credit.amount_cents,
                    currency=credit.currency,
                    reference=credit.reference,
                )
                for credit in credits
                if not problems[credit.key]
            ],
            ignore_conflicts=True,
        )
        ids = dict(LocalCredit.objects.filter(key__in=list(problems)).values_list("key", "pk"))
        return [
            CreditResult(key=credit.key, outcome=Outcome.REJECTED, error=problems[credit.key])
            if problems[credit.key]
            else CreditResult(
                key=credit.key, outcome=Outcome.CONFIRMED, reference=f"local-{ids[credit.key]}"
            )
            for credit in credits
        ]

    def send_verification_code(self, *, customer_number: str, code: str, language: str) -> None:
        LocalMessage.objects.create(customer_number=customer_number, code=code, language=language)
        log.info(
            "demo billing gateway: verification code for customer %s is %s", customer_number, code
        )


def _local_problem(credit: Credit) -> str:
    """Why the local gateway refuses a credit ("" if it does not): what its table can't hold."""
    if len(credit.key) > LocalCredit._meta.get_field("key").max_length:
        return "idempotency key too long"
    if len(credit.customer_number) > CUSTOMER_NUMBER_MAX:
        return "customer number too long"
    if len(credit.currency) != 3:
        return "currency must be a 3-letter code"
    if len(credit.reference) > LocalCredit._meta.get_field("reference").max_length:
        return "reference too long"
    return ""


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    """The X-Peerdesk-Signature header: HMAC-SHA256 of "<timestamp>.<body>"."""
    return f"sha256={signature(secret=secret, timestamp=timestamp, body=body)}"


def _amount(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))  # 1250 -> "12.50"


class WebhookGateway:
    """Posts one signed JSON request per credit or message to the billing system."""

    def __init__(self, *, url: str, secret: str, timeout: float):
        parsed = httpx.URL(url) if url else None
        if parsed is None or not parsed.host:
            raise ImproperlyConfigured("BILLING_WEBHOOK_URL must be set to the billing webhook.")
        if parsed.scheme != "https" and not (
            parsed.scheme == "http" and parsed.host in LOCAL_HOSTS
        ):
            raise ImproperlyConfigured(
                "BILLING_WEBHOOK_URL must use https (plain http only to localhost)."
            )
        if not secret:
            raise ImproperlyConfigured("BILLING_WEBHOOK_SECRET must be set for the webhook.")
        if timeout <= 0:
            raise ImproperlyConfigured("BILLING_TIMEOUT must be a positive number of seconds.")
        self.url = url
        self.secret = secret
        self.timeout = httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_MAX))

    def _client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout,
            follow_redirects=False,
            headers={"User-Agent": "Peerdesk billing gateway"},
        )

    def _post(self, client: httpx.Client, payload: dict, *, key: str) -> httpx.Response:
        body = json.dumps(payload, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            "X-Peerdesk-Timestamp": timestamp,
            "X-Peerdesk-Signature": sign(secret=self.secret, timestamp=timestamp, body=body),
        }
        return client.post(self.url, content=body, headers=headers)

    def send_credits(self, credits: Sequence[Credit]) -> list[CreditResult]:
        if not credits:
            return []
        with self._client() as client:
            return [self._send_credit(client, credit) for credit in credits]

    def _send_credit(self, client: httpx.Client, credit: Credit) -> CreditResult:
        payload = {
            "type": "credit",
            "idempotency_key": credit.key,
            "customer_number": credit.customer_number,
            "amount": _amount(credit.amount_cents),
            "currency": credit.currency,
            "reference": credit.reference,
        }
        try:
            response = self._post(client, payload, key=credit.key)
        except httpx.HTTPError as error:
            log.warning("billing webhook: credit %s: %r", credit.key, error)
            return CreditResult(
                key=credit.key, outcome=Outcome.UNKNOWN, error=_transport_error(error)
            )
        result = _credit_result(credit.key, response)
        if result.outcome != Outcome.CONFIRMED:
            log.warning("billing webhook: credit %s: %s", credit.key, result.error)
        return result

    def send_verification_code(self, *, customer_number: str, code: str, language: str) -> None:
        payload = {
            "type": "verification_code",
            "customer_number": customer_number,
            "code": code,
            "language": language,
        }
        # The same code to the same customer is the same message.
        digest = hashlib.sha256(f"{customer_number}.{code}".encode()).hexdigest()
        try:
            with self._client() as client:
                response = self._post(client, payload, key=f"verification-{digest[:32]}")
        except httpx.HTTPError as error:
            log.warning("billing webhook: verification code: %r", error)
            raise GatewayError(_transport_error(error)) from error
        if not response.is_success:
            log.warning("billing webhook: verification code: HTTP %s", response.status_code)
            raise GatewayError(f"billing system answered HTTP {response.status_code}")


def _transport_error(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "no answer in time"
    return f"could not reach the billing system ({type(error).__name__})"


def _json_object(response: httpx.Response) -> dict | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _reference(data: dict | None) -> str:
    reference = (data or {}).get("reference")
    return str(reference)[:200] if isinstance(reference, str | int) else ""


def _credit_result(key: str, response: httpx.Response) -> CreditResult:
    status = response.status_code
    data = _json_object(response)
    if response.is_success:
        if data is not None and data.get("status") in ("accepted", "duplicate"):
            return CreditResult(key=key, outcome=Outcome.CONFIRMED, reference=_reference(data))
        return CreditResult(key=key, outcome=Outcome.UNKNOWN, error=f"HTTP {status}: bad answer")
    if status == httpx.codes.CONFLICT:
        return CreditResult(key=key, outcome=Outcome.CONFIRMED, reference=_reference(data))
    # 408 and 429 say "not now", not "never": resending with the same key is safe.
    if response.is_client_error and status not in (
        httpx.codes.REQUEST_TIMEOUT,
        httpx.codes.TOO_MANY_REQUESTS,
    ):
        detail = (data or {}).get("detail")
        reason = f": {detail[:200]}" if isinstance(detail, str) and detail else ""
        return CreditResult(key=key, outcome=Outcome.REJECTED, error=f"HTTP {status}{reason}")
    return CreditResult(key=key, outcome=Outcome.UNKNOWN, error=f"HTTP {status}")


def get_gateway() -> Gateway:
    """The gateway the settings choose. Raises ImproperlyConfigured for a bad configuration."""
    kind = settings.BILLING_GATEWAY
    if kind == "local":
        return LocalGateway()
    if kind == "webhook":
        return WebhookGateway(
            url=settings.BILLING_WEBHOOK_URL,
            secret=settings.BILLING_WEBHOOK_SECRET,
            timeout=settings.BILLING_TIMEOUT,
        )
    raise ImproperlyConfigured(f'BILLING_GATEWAY must be "local" or "webhook", not {kind!r}.')
