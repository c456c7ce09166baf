"""Points credited per day and forum (insights.models.PointsDay), summed once from the
ledger so that the figures of a year read a few thousand rows instead of every entry.

Only closed days are rolled up: the ledger is append-only and entries are written when
they happen, so a day of the reporting zone that has ended never changes again. The
figures read the days after RollupState.points_through from the ledger, so today's
points are always live. Beat runs points_rollup every hour (insights.tasks)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from insights.figures import _credited
from insights.models import PointsDay, RollupState
from insights.periods import Period, reporting_zone
from rewards.models import LedgerEntry


@transaction.atomic
def points_rollup(*, today: date | None = None) -> int:
    """Rolls up every closed day not rolled up yet, through yesterday (reporting zone);
    returns how many days. Idempotent: a second run the same day does nothing."""
    state = _state_locked()
    return _roll(state, today=today)


@transaction.atomic
def points_rollup_rebuild(*, today: date | None = None) -> int:
    """Rolls up every closed day again, from the first entry: for the demo seeds, which
    write their entries and then move them into the past."""
    state = _state_locked()
    PointsDay.objects.all().delete()
    state.points_through = None
    return _roll(state, today=today)


def _state_locked() -> RollupState:
    """The state row, locked until commit: concurrent runs wait, then find the days done."""
    state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
    return state


def _roll(state: RollupState, *, today: date | None) -> int:
    through = (today or timezone.localdate(timezone=reporting_zone())) - timedelta(days=1)
    if state.points_through is not None and state.points_through >= through:
        return 0
    start = _first_day(state.points_through) or through + timedelta(days=1)
    days = max(0, (through - start).days + 1)
    if days:
        PointsDay.objects.filter(day__gte=start, day__lte=through).delete()
        sums = (
            _credited(Period(start, through), None)
            .annotate(day=TruncDate("created_at", tzinfo=reporting_zone()))
            .values("day", "forum")
            .annotate(points=Sum("amount"))
            .order_by()
        )
        PointsDay.objects.bulk_create(
            PointsDay(day=row["day"], forum_id=row["forum"], points=row["points"]) for row in sums
        )
    state.points_through = through
    state.save(update_fields=["points_through"])
    return days


def _first_day(points_through: date | None) -> date | None:
    """The day after the last one rolled up; before the first run, the day of the
    earliest entry (None: the ledger is empty)."""
    if points_through is not None:
        return points_through + timedelta(days=1)
    earliest = LedgerEntry.objects.aggregate(at=Min("created_at"))["at"]
    return None if earliest is None else timezone.localdate(earliest, reporting_zone())
