"""Erasure of what the local gateway recorded about a customer number. Credits are
bookkeeping the law makes us keep: they stay, under a pseudonym instead of the number.

Only the member's customer links know which numbers are theirs, so accounts' eraser of
the links calls local_records_erase and declares these models with core.gdpr; what is
declared here is why they are not exported."""

from collections.abc import Collection

from django.utils.crypto import salted_hmac

from billing.models import LocalCredit, LocalMessage
from core import gdpr


def pseudonym(customer_number: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of the number: 64 hex characters, the
    same for the same number, so a customer's bookkeeping rows still belong together, but
    not the number itself. It never matches CUSTOMER_NUMBER_PATTERN's upper-case default."""
    return salted_hmac("billing.pseudonym", customer_number, algorithm="sha256").hexdigest()


def local_records_erase(*, customer_numbers: Collection[str]) -> None:
    """Deletes the messages sent to these numbers and pseudonymises their credits."""
    LocalMessage.objects.filter(customer_number__in=customer_numbers).delete()
    for number in customer_numbers:
        LocalCredit.objects.filter(customer_number=number).update(customer_number=pseudonym(number))


gdpr.not_exported(
    LocalMessage,
    LocalCredit,
    reason="The local (demo) billing gateway's own records, per customer number, of the "
    "codes it sent and the credits it booked; the member's export has their numbers and "
    "payouts in customer_accounts.json and settlements.json.",
)
