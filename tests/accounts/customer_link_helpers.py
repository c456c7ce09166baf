"""Shared by the customer-link tests: the code the local gateway sent, and a clock."""

from datetime import timedelta

from django.db.models import F

from accounts.models import CustomerAccountLink
from billing.models import LocalMessage


def sent_code() -> str:
    """The latest code the local (demo) billing gateway sent."""
    return LocalMessage.objects.latest("pk").code


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def age(user, **delta) -> None:
    """Moves the member's links back in time, as if `delta` (timedelta arguments) passed."""
    past = timedelta(**delta)
    CustomerAccountLink.objects.filter(user=user).update(
        code_sent_at=F("code_sent_at") - past,
        code_expires_at=F("code_expires_at") - past,
        send_window_start=F("send_window_start") - past,
        created_at=F("created_at") - past,
    )
