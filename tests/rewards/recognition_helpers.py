"""Shared by the recognition, points and leaderboard tests: members old enough to earn,
consent to be listed, and points written straight through the ledger."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from privacy import services as privacy_services
from privacy.models import ConsentRecord
from rewards.ledger import services as ledger
from rewards.models import EntryKind, Rule
from tests.factories import UserFactory

LONG_AGO = timezone.now() - timedelta(days=400)
LEADERBOARDS = "leaderboards"


def veteran(**kwargs):
    """A member past the probation period, so their awards are written."""
    return UserFactory(date_joined=LONG_AGO, **kwargs)


def listed(user):
    privacy_services.consent_grant(
        user=user, purpose_key=LEADERBOARDS, method=ConsentRecord.Method.SETTINGS
    )
    return user


def unlisted(user):
    privacy_services.consent_withdraw(
        user=user, purpose_key=LEADERBOARDS, method=ConsentRecord.Method.SETTINGS
    )
    return user


_keys = iter(range(10**9))


def earn(
    user,
    points: int,
    *,
    forum=None,
    at: datetime | None = None,
    available_at: datetime | None = None,
    kind: str = EntryKind.AWARD,
    rule: str = Rule.KUDOS_RECEIVED,
):
    """An entry written through the ledger (as a service would), at `at`."""
    with transaction.atomic():
        return ledger.entry_add(
            account=ledger.account_for(user),
            amount=points,
            kind=kind,
            rule=rule if kind == EntryKind.AWARD else "",
            key=f"test:{next(_keys)}",
            available_at=available_at,
            forum_id=forum.pk if forum else None,
            created_at=at or timezone.now(),
        )
