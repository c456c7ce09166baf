"""Reads for recognition and the member's points: ranks, badges, the points summary,
the ledger statement and leaderboards."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from math import gcd

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.customer_link import services as customer_link
from community.models import Forum
from privacy.models import ConsentPurpose, ConsentRecord, ConsentText
from rewards.ledger import services as ledger
from rewards.models import (
    EconomySettings,
    EntryKind,
    FraudHold,
    LedgerEntry,
    MemberBadge,
    PointsAccount,
    PointsTally,
    Rank,
    Settlement,
)

RANKS_CACHE_KEY = "rewards:ranks"
RANKS_CACHE_SECONDS = 60
LEADERBOARD_PURPOSE = "leaderboards"
PAYOUT_KINDS = (EntryKind.SETTLEMENT, EntryKind.SETTLEMENT_CANCEL)
_FIGURES = ("available", "review", "paid")
# A month "YYYY-MM"; the pattern is the API's too (ASCII digits, years 1000 to 9999).
MONTH_PATTERN = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])"


# --- Ranks and badges ----------------------------------------------------------------


def ranks() -> list[Rank]:
    """Every rank, lowest threshold first: read on every page that shows a member's name,
    so cached for a minute (the admin clears the cache when a rank changes)."""
    table = cache.get(RANKS_CACHE_KEY)
    if table is None:
        table = list(Rank.objects.order_by("threshold"))
        cache.set(RANKS_CACHE_KEY, table, RANKS_CACHE_SECONDS)
    return table


def ranks_forget() -> None:
    cache.delete(RANKS_CACHE_KEY)


@dataclass(frozen=True)
class RankProgress:
    rank: Rank | None
    next_rank: Rank | None
    # How far from the current rank's threshold to the next one (100 at the top rank).
    percent: int
    points_to_next: int


def rank_progress(lifetime: int, *, table: list[Rank] | None = None) -> RankProgress:
    table = ranks() if table is None else table
    reached = [r for r in table if r.threshold <= lifetime]
    ahead = [r for r in table if r.threshold > lifetime]
    rank = reached[-1] if reached else None
    next_rank = ahead[0] if ahead else None
    if next_rank is None:
        return RankProgress(rank, None, 100, 0)
    floor = rank.threshold if rank else min(0, lifetime)
    span = max(1, next_rank.threshold - floor)
    percent = max(0, min(100, (lifetime - floor) * 100 // span))
    return RankProgress(rank, next_rank, percent, next_rank.threshold - lifetime)


def rank_for(lifetime: int, *, table: list[Rank] | None = None) -> Rank | None:
    return rank_progress(lifetime, table=table).rank


def badges_for(user) -> QuerySet[MemberBadge]:
    """The member's badges, newest first, with their badge."""
    return MemberBadge.objects.filter(user=user).select_related("badge").order_by("-awarded_at")


def badge_count(user_ref: str) -> Coalesce:
    """An expression for a queryset whose field `user_ref` is a member: how many badges
    they have, computed in the same query (one subquery per row on an indexed column)."""
    counts = (
        MemberBadge.objects.filter(user=OuterRef(user_ref))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


# --- Money ---------------------------------------------------------------------------


def points_to_euros(points: int, points_per_euro: int) -> Decimal:
    """Euros for `points`, rounded down to the cent (a payout never rounds up)."""
    return (Decimal(points) / Decimal(points_per_euro)).quantize(Decimal("0.01"), ROUND_DOWN)


# --- The member's points -------------------------------------------------------------


class PayoutBlock(StrEnum):
    """Why the next settlement run would pay nothing."""

    NO_LINK = "no_verified_link"
    BELOW_MINIMUM = "below_minimum"
    MONTHLY_CAP = "monthly_cap_reached"


@dataclass(frozen=True)
class PointsSummary:
    balance: int
    available: int
    held: int
    # Part of `held`: awards kept back until staff review them (an open fraud hold).
    held_for_review: int
    paid_out: int
    lifetime: int
    progress: RankProgress
    points_per_euro: int
    minimum_payout: int
    next_run_at: datetime
    # What the next run would pay; 0 with `payout_blocked` saying why.
    payout_points: int
    payout_blocked: str
    currency: str = "EUR"

    @property
    def payout_euros(self) -> Decimal:
        return points_to_euros(self.payout_points, self.points_per_euro)

    @property
    def available_euros(self) -> Decimal:
        return points_to_euros(max(0, self.available), self.points_per_euro)

    @property
    def paid_out_euros(self) -> Decimal:
        return points_to_euros(self.paid_out, self.points_per_euro)


def next_settlement_run(now: datetime | None = None) -> datetime:
    """The settlement runs daily at SETTLEMENT_HOUR local time."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=settings.SETTLEMENT_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def _figures(account: PointsAccount, now: datetime) -> dict[str, int]:
    """Available, under review and paid out (settlement debits net of cancels): one
    aggregate over the member's entries."""
    open_hold = Q(hold__state=FraudHold.State.OPEN)
    sums = account.entries.aggregate(
        available=Sum("amount", filter=ledger.payable(now)),
        review=Sum("amount", filter=open_hold),
        paid=Sum("amount", filter=Q(kind__in=PAYOUT_KINDS)),
    )
    figures = {name: value or 0 for name, value in sums.items()}
    figures["paid"] = -figures["paid"]  # debits are negative entries
    return figures


def _payable(*, account: PointsAccount, available: int, economy: EconomySettings, now) -> int:
    """What the settlement run would pay by its rule (rewards/settlement/sql.py, SETTLE): the
    least of the available points, the balance and what the monthly cap leaves, in
    whole cents."""
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    settled = (
        account.settlements.filter(created_at__gte=month_start)
        .exclude(state=Settlement.State.CANCELLED)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    points = min(available, account.balance, economy.monthly_cap - settled)
    step = economy.points_per_euro // gcd(100, economy.points_per_euro)
    return max(0, points // step * step)


def points_summary(user) -> PointsSummary:
    """The member's balance split into available and held, what was paid out, rank
    progress and what the next settlement run would pay (an estimate: the run decides).
    Five queries at most, whatever the ledger's length (ranks come from the cache)."""
    now = timezone.now()
    account = PointsAccount.objects.filter(user=user).first() or PointsAccount(user=user)
    economy = EconomySettings.load()
    figures = _figures(account, now) if account.pk else dict.fromkeys(_FIGURES, 0)
    payout, blocked = 0, ""
    if customer_link.verified_link_for(user) is None:
        blocked = PayoutBlock.NO_LINK
    elif account.pk:
        payout = _payable(account=account, available=figures["available"], economy=economy, now=now)
    if not blocked and payout < economy.minimum_payout:
        payable_without_cap = min(figures["available"], account.balance)
        blocked = (
            PayoutBlock.MONTHLY_CAP
            if payable_without_cap >= economy.minimum_payout
            else PayoutBlock.BELOW_MINIMUM
        )
        payout = 0
    return PointsSummary(
        balance=account.balance,
        available=figures["available"],
        held=account.balance - figures["available"],
        held_for_review=figures["review"],
        paid_out=figures["paid"],
        lifetime=account.lifetime_points,
        progress=rank_progress(account.lifetime_points),
        points_per_euro=economy.points_per_euro,
        minimum_payout=economy.minimum_payout,
        next_run_at=next_settlement_run(now),
        payout_points=payout,
        payout_blocked=blocked,
    )


def ledger_for(user) -> QuerySet[LedgerEntry]:
    """The member's entries, newest first, each with what caused it (for links), its
    fraud hold and its reversal (for its state): the same queries for any page."""
    return (
        LedgerEntry.objects.filter(account__user=user)
        .select_related("question", "answer", "forum", "hold", "reversed_by")
        .defer(
            "question__body",
            "question__body_html",
            "answer__body",
            "answer__body_html",
        )
        .order_by("-created_at", "-pk")
    )


class EntryState(StrEnum):
    AVAILABLE = "available"
    HELD = "held"
    REVIEW = "review"
    REVERSED = "reversed"
    # Debits and reversals: a movement, not points that wait for anything.
    BOOKED = "booked"


def entry_state(entry: LedgerEntry, *, now: datetime | None = None) -> EntryState:
    """For an entry from `ledger_for` (its hold and reversal loaded)."""
    if entry.amount < 0:
        return EntryState.BOOKED
    if getattr(entry, "reversed_by", None) is not None:
        return EntryState.REVERSED
    hold = getattr(entry, "hold", None)
    if hold is not None and hold.state == FraudHold.State.OPEN:
        return EntryState.REVIEW
    if entry.available_at > (now or timezone.now()):
        return EntryState.HELD
    return EntryState.AVAILABLE


# --- Leaderboards --------------------------------------------------------------------


def is_period(value: str) -> bool:
    """ "all" or a month "YYYY-MM"."""
    return value == PointsTally.ALL_TIME or re.fullmatch(MONTH_PATTERN, value) is not None


def this_month(today: date | None = None) -> str:
    return (today or timezone.localdate()).strftime("%Y-%m")


def last_month(today: date | None = None) -> str:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def _current_version(purpose_key: str) -> Subquery:
    return Subquery(
        ConsentText.objects.filter(purpose__key=purpose_key, published_at__lte=timezone.now())
        .order_by("-version")
        .values("version")[:1]
    )


def consents_to(purpose_key: str, *, user_ref: str) -> Subquery:
    """Whether the member in field `user_ref` currently consents to `purpose_key`, as an
    expression: the rule of privacy.selectors.has_consent (the latest record for the
    purpose's current version is a grant) for many members in one query. The purpose and
    its current version are computed once per query, not once per row."""
    purpose = ConsentPurpose.objects.filter(key=purpose_key).values("pk")[:1]
    latest = (
        ConsentRecord.objects.filter(
            user=OuterRef(user_ref),
            purpose=Subquery(purpose),
            version=_current_version(purpose_key),
        )
        .order_by("-created_at", "-pk")
        .values("granted")[:1]
    )
    return Subquery(latest, output_field=BooleanField())


@dataclass(frozen=True)
class LeaderboardRow:
    position: int
    user: object
    points: int
    rank: Rank | None


def leaderboard(
    *, period: str, forum: Forum | None = None, limit: int = 20
) -> list[LeaderboardRow]:
    """The top members by points earned in `period` ("all" or "YYYY-MM", local time),
    overall or in one forum, among those who consent to be listed now: consent is
    checked at the time of use, in the query, never cached. One query, or three where
    few members near the top are listed, whatever the community's size."""
    scope = forum.pk if forum is not None else PointsTally.OVERALL
    table = ranks()
    rows = []
    for position, tally in enumerate(_listed_tallies(scope, period, limit), start=1):
        account = getattr(tally.user, "points_account", None)
        lifetime = account.lifetime_points if account else 0
        rows.append(
            LeaderboardRow(position, tally.user, tally.points, rank_for(lifetime, table=table))
        )
    return rows


# How far down the tally index the first query looks for listed members.
_WALK = 1_000


def _listed_tallies(scope: int, period: str, limit: int) -> list[PointsTally]:
    """Where many members consent, the first `limit` listed ones are among the top
    tallies: a bounded walk down the index (scope, period, -points) finds them in one
    query. Where few do, that walk comes up short, and two more queries start from the
    members who granted the purpose's current text instead (the text and version as
    plain values, so that PostgreSQL can tell how few they are). Neither reads every
    tally, unless most of those who granted the current text withdrew it again."""
    tallies = (
        PointsTally.objects.filter(scope=scope, period=period, points__gt=0, user__is_active=True)
        .annotate(listed=consents_to(LEADERBOARD_PURPOSE, user_ref="user_id"))
        .filter(listed=True)
        .select_related("user", "user__points_account")
        .order_by("-points", "user_id")
    )
    head = PointsTally.objects.filter(scope=scope, period=period, points__gt=0).order_by(
        "-points", "user_id"
    )
    found: list[PointsTally] = list(tallies.filter(pk__in=head.values("pk")[:_WALK])[:limit])
    if len(found) == limit:
        return found
    current = (
        ConsentText.objects.filter(
            purpose__key=LEADERBOARD_PURPOSE, published_at__lte=timezone.now()
        )
        .order_by("-version")
        .values_list("purpose_id", "version")
        .first()
    )
    if current is None:
        return []
    purpose_id, version = current
    granted = ConsentRecord.objects.filter(
        purpose_id=purpose_id, version=version, granted=True
    ).values("user_id")
    return list(tallies.filter(user_id__in=granted)[:limit])
