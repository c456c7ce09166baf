"""The demo's points history: what a community that has run for a year looks like.

The demo community is built through the real services, so every award was written by
the action that earned it, but all of them "now". Like the posts, the awards are then
moved into the past (between their post and today) before anyone sees the demo, and the
leaderboard tallies are recomputed; a few members link a customer number and a first
settlement pays them through the local billing gateway. The demo brand pays out from
EUR 1.00 (the default minimum is EUR 5.00), so that a small demo has payouts to show.
"""

import random
from datetime import datetime, timedelta

from accounts.customer_link.services import customer_link_confirm_by_staff, customer_link_start
from accounts.models import User
from rewards.ledger import services as ledger
from rewards.models import EconomySettings, LedgerEntry
from rewards.settlement.services import settlement_run, settlements_send

DEMO_MINIMUM_PAYOUT = 100


def demo_points_history(
    *, now: datetime, rng: random.Random, linked: dict[User, str], confirmer: User
) -> None:
    EconomySettings.objects.filter(pk=1).update(minimum_payout=DEMO_MINIMUM_PAYOUT)
    _awards_backdate(now=now, rng=rng)
    ledger.tallies_rebuild()
    for member, number in linked.items():
        link = customer_link_start(user=member, customer_number=number)
        customer_link_confirm_by_staff(link=link, by=confirmer)
    run = settlement_run(key="demo", enqueue=False)
    settlements_send(ids=list(run.settlements.values_list("pk", flat=True)))


def _awards_backdate(*, now: datetime, rng: random.Random) -> None:
    holding = timedelta(days=EconomySettings.load().holding_days)
    entries = LedgerEntry.objects.select_related("answer", "question")
    for entry in entries:
        post = entry.answer or entry.question
        since = post.created_at if post else now - timedelta(days=30)
        at = since + (now - since) * rng.random()
        LedgerEntry.objects.filter(pk=entry.pk).update(created_at=at, available_at=at + holding)
