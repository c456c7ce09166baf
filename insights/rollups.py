"""Daily sums that spare the figures reading a year of rows: points credited per day and
forum (insights.models.PointsDay), deflection events per day, forum, kind, channel and
source (EventDay).

Only closed days are rolled up, and the figures read the days after the last one rolled
up (RollupState) from the ledger and the events, so today's figures are always live.
Beat runs both rollups at a quarter past every hour (insights.tasks): a transaction
still open at midnight has long committed by then.

A closed day of the ledger never changes: it is append-only and entries are written
when they happen. A closed day's events can: insights.events rewrites or deletes an
event when a solution is withdrawn or replaced and when a contact-page visit ends in a
request after all, and an erasure cuts the member's link. Each of these calls
events_invalidate first, which moves `events_through` back before the event's day; the
next rollup sums those days anew. Events written with a past time (a backfill, the
demo) need a rebuild."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models, transaction
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from insights.figures import _credited, _within
from insights.models import Event, EventDay, PointsDay, RollupState
from insights.periods import Period, reporting_zone
from rewards.models import LedgerEntry

ONE_DAY = timedelta(days=1)


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=reporting_zone())


@dataclass(frozen=True)
class _Rollup:
    """One kind of daily rows: the model, the state field of the last day it holds,
    the time of the earliest source row, and its rows for the days of a period (dicts
    of the model's fields)."""

    model: type[models.Model]
    through: str
    earliest: Callable[[], datetime | None]
    rows: Callable[[Period], QuerySet]


POINTS = _Rollup(
    model=PointsDay,
    through="points_through",
    earliest=lambda: LedgerEntry.objects.aggregate(at=Min("created_at"))["at"],
    rows=lambda period: (
        _credited(period, None)
        .annotate(day=_day("created_at"))
        .values("day", "forum_id")
        .annotate(points=Sum("amount"))
        .order_by()
    ),
)

EVENTS = _Rollup(
    model=EventDay,
    through="events_through",
    earliest=lambda: Event.objects.aggregate(at=Min("occurred_at"))["at"],
    rows=lambda period: (
        Event.objects.filter(_within(period, "occurred_at"))
        .annotate(day=_day("occurred_at"))
        .values("day", "forum_id", "kind", "channel", "probation", member=Q(user__isnull=False))
        .annotate(count=Count("pk"))
        .order_by()
    ),
)


@transaction.atomic
def points_rollup(*, today: date | None = None) -> int:
    """Rolls up every closed day not rolled up yet, through yesterday (reporting zone);
    returns how many days. Idempotent: a second run the same day does nothing."""
    return _roll(POINTS, _state_locked(), today=today)


@transaction.atomic
def points_rollup_rebuild(*, today: date | None = None) -> int:
    """Rolls up every closed day again, from the first entry: for the demo seeds, which
    write their entries and then move them into the past."""
    return _rebuild(POINTS, today=today)


@transaction.atomic
def events_rollup(*, today: date | None = None) -> int:
    """As points_rollup, for the events; also sums anew the days invalidated since."""
    return _roll(EVENTS, _state_locked(), today=today)


@transaction.atomic
def events_rollup_rebuild(*, today: date | None = None) -> int:
    """As points_rollup_rebuild, for the events."""
    return _rebuild(EVENTS, today=today)


@transaction.atomic
def events_invalidate(*, since: datetime | None) -> None:
    """Call in the transaction that changes or deletes events, before it does, with the
    time of the earliest (None: there are none). If its day is rolled up, that day and
    the following are read from the events again until the next rollup. The state row
    stays locked until commit, so a rollup running meanwhile waits for the change
    instead of summing the events as they were."""
    if since is None:
        return
    state = _state_locked()
    day = timezone.localdate(since, reporting_zone())
    if state.events_through is not None and state.events_through >= day:
        state.events_through = day - ONE_DAY
        state.save(update_fields=["events_through"])


def _state_locked() -> RollupState:
    """The state row, locked until commit: concurrent runs wait, then find the days done."""
    state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
    return state


def _rebuild(rollup: _Rollup, *, today: date | None) -> int:
    state = _state_locked()
    rollup.model._default_manager.all().delete()
    setattr(state, rollup.through, None)
    return _roll(rollup, state, today=today)


def _roll(rollup: _Rollup, state: RollupState, *, today: date | None) -> int:
    through = (today or timezone.localdate(timezone=reporting_zone())) - ONE_DAY
    done = getattr(state, rollup.through)
    if done is not None and done >= through:
        return 0
    start = _first_day(rollup, done) or through + ONE_DAY
    days = max(0, (through - start).days + 1)
    if days:
        rollup.model._default_manager.filter(day__gte=start, day__lte=through).delete()
        rollup.model._default_manager.bulk_create(
            rollup.model(**row) for row in rollup.rows(Period(start, through))
        )
    setattr(state, rollup.through, through)
    state.save(update_fields=[rollup.through])
    return days


def _first_day(rollup: _Rollup, done: date | None) -> date | None:
    """The day after the last one rolled up; before the first run, the day of the
    earliest source row (None: there is none)."""
    if done is not None:
        return done + ONE_DAY
    earliest = rollup.earliest()
    return None if earliest is None else timezone.localdate(earliest, reporting_zone())
