"""Shared by the settlement tests: members with points and a verified customer account,
the economy's numbers, and a clock for retries."""

import itertools
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from rewards.ledger import services as ledger
from rewards.ledger.check import ledger_differences
from rewards.models import EconomySettings, EntryKind, LedgerEntry, PointsAccount, Settlement
from tests.factories import UserFactory, link_verified

LONG_AGO = timezone.now() - timedelta(days=400)
AVAILABLE = timezone.now() - timedelta(days=30)
_numbers = itertools.count(100_000)
_keys = itertools.count()


def earn(user, points: int, *, available_at=AVAILABLE) -> LedgerEntry:
    """An award written straight through the ledger, payable from `available_at`."""
    with transaction.atomic():
        return ledger.entry_add(
            account=ledger.account_for(user),
            amount=points,
            kind=EntryKind.AWARD,
            key=f"test-award:{next(_keys)}",
            available_at=available_at,
        )


def member_with(points: int = 0, *, linked: bool = True, **kwargs):
    """A member past probation, with a verified customer account unless `linked` is False."""
    user = UserFactory(date_joined=LONG_AGO, **kwargs)
    if linked:
        link_verified(user, f"CN{next(_numbers)}")
    if points:
        earn(user, points)
    return user


def account(user) -> PointsAccount:
    return PointsAccount.objects.get(user=user)


def settlements(user=None):
    found = Settlement.objects.order_by("pk")
    return found.filter(account__user=user) if user else found


def economy(**values) -> None:
    EconomySettings.objects.filter(pk=1).update(**values)


def time_passes() -> None:
    """Every scheduled attempt and every lost pending settlement is due now."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Settlement.objects.exclude(next_attempt_at=None).update(next_attempt_at=an_hour_ago)
    Settlement.objects.filter(state=Settlement.State.PENDING).update(created_at=an_hour_ago)


def assert_ledger_ok() -> None:
    assert list(ledger_differences()) == []
