"""Reads for the staff settlement pages and the billing team's CSV."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from rewards.models import Settlement

State = Settlement.State
# Failed for good: no attempt scheduled, a person has to retry or cancel it.
NEEDS_STAFF = Q(state=State.FAILED, next_attempt_at__isnull=True)
NEEDS_STAFF_TAB = "needs_staff"
CSV_HEADER = [
    "settlement_date",
    "key",
    "customer_number",
    "points",
    "amount_eur",
    "state",
    "gateway_reference",
]


def euros(cents: int) -> Decimal:
    """1250 -> Decimal("12.50")."""
    return Decimal(cents).scaleb(-2)


def settlement_counts() -> dict[str, int]:
    """Settlements per state and how many need staff, in one aggregate."""
    counts = {state: Count("pk", filter=Q(state=state)) for state in State.values}
    counts[NEEDS_STAFF_TAB] = Count("pk", filter=NEEDS_STAFF)
    return Settlement.objects.aggregate(**counts)


def settlement_needs_staff_count() -> int:
    """Failed settlements nothing retries any more, for the staff menu."""
    return Settlement.objects.filter(NEEDS_STAFF).count()


def settlement_list(*, state: str) -> QuerySet[Settlement]:
    """`state` is a Settlement.State, NEEDS_STAFF_TAB or "" (all); newest first, except
    that failed ones that need staff come before those still retried on their own."""
    found = Settlement.objects.select_related("account__user")
    if state == NEEDS_STAFF_TAB:
        return found.filter(NEEDS_STAFF).order_by("-created_at", "-pk")
    if state == State.FAILED:
        found = found.filter(state=state)
        return found.order_by(F("next_attempt_at").asc(nulls_first=True), "-created_at", "-pk")
    if state:
        found = found.filter(state=state)
    return found.order_by("-created_at", "-pk")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of `month` and of the month after, local time."""
    start = date(month.year, month.month, 1)
    after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime.combine(start, datetime.min.time())),
        timezone.make_aware(datetime.combine(after, datetime.min.time())),
    )


def _cell(text: str) -> str:
    """A text a spreadsheet would run as a formula is prefixed with a quote."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def settlement_csv_rows(*, month: date) -> Iterator[list[str]]:
    """The header, then every settlement made in `month` (local time), oldest first,
    streamed from the database."""
    start, end = month_bounds(month)
    yield CSV_HEADER
    rows = (
        Settlement.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "key",
            "customer_number",
            "points",
            "amount_cents",
            "state",
            "gateway_reference",
        )
    )
    for created_at, key, number, points, cents, state, reference in rows.iterator(2_000):
        yield [
            timezone.localtime(created_at).date().isoformat(),
            key,
            _cell(number),
            str(points),
            str(euros(cents)),
            state,
            _cell(reference),
        ]
