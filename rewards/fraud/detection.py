"""Spotting points that should not pay: a second account of the same household, and
vote rings. Suspicious awards are written but held (FraudHold) for staff to review."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from community.models import Vote
from rewards.models import EconomySettings, FraudHold, HouseholdSignal

VOTE_RING_DAYS = 30


def suspicion(*, member, other) -> str | None:
    """Why points from `other` to `member` look farmed, or None."""
    economy = EconomySettings.load()
    if _same_household(member, other, days=economy.household_days):
        return FraudHold.Reason.HOUSEHOLD
    if _vote_ring(member, other, threshold=economy.vote_ring_threshold):
        return FraudHold.Reason.VOTE_RING
    return None


def _same_household(a, b, *, days: int) -> bool:
    """Both the network and the device match. Either alone is common among strangers:
    mobile carriers put many customers behind one address block, and browsers send the
    same user agent and language by the million."""
    since = timezone.localdate() - timedelta(days=days)
    shared = HouseholdSignal.objects.filter(
        user=b, kind=OuterRef("kind"), digest=OuterRef("digest"), last_seen__gte=since
    )
    mine = HouseholdSignal.objects.filter(user=a, last_seen__gte=since)
    kinds = set(mine.filter(Exists(shared)).values_list("kind", flat=True).distinct())
    return kinds == set(HouseholdSignal.Kind.values)


def _kudos_given(by, to, since) -> int:
    return Vote.objects.filter(
        Q(question__author=to) | Q(answer__author=to), user=by, created_at__gte=since
    ).count()


def _vote_ring(a, b, *, threshold: int) -> bool:
    since = timezone.now() - timedelta(days=VOTE_RING_DAYS)
    return _kudos_given(a, b, since) >= threshold and _kudos_given(b, a, since) >= threshold
