"""The daily points sums (insights.rollups) against the known history
(tests/insights/history.py): the figures are the same to the cent whichever days are
rolled up, today's points stay live, days follow Europe/Berlin, and runs that overlap
add each day once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights import figures, tasks
from insights.models import PointsDay, RollupState
from insights.periods import Period, this_month
from insights.rollups import points_rollup, points_rollup_rebuild
from rewards.models import LedgerEntry
from tests.concurrency import race
from tests.insights.history import (
    EXPECTED,
    EXPECTED_MONTHS,
    FEBRUARY,
    JANUARY,
    MARCH,
    ROLLUP_DAYS,
    berlin,
    entry,
    history_fixture,  # noqa: F401 (the fixture `history`)
)

pytestmark = pytest.mark.django_db

WINTER = Period(date(2023, 12, 1), date(2024, 3, 31))
# The points of the history by (day in Berlin, forum slug): bounties, payouts and the
# reversal of a bounty never count; a reversal of an award counts on its own day.
DAYS = {
    (date(2023, 12, 31), "mobilfunk"): 50,  # 23:30 Berlin
    (date(2024, 1, 10), "mobilfunk"): 50,
    (date(2024, 1, 12), "mobilfunk"): 33,
    (date(2024, 1, 20), "internet"): 50,
    (date(2024, 1, 31), "mobilfunk"): 15,  # 23:30 Berlin
    (date(2024, 2, 1), "mobilfunk"): 20,  # 00:30 Berlin = 23:30 UTC on 31 January
    (date(2024, 2, 3), "internet"): -50,  # Paul's award of 20 January reversed
    (date(2024, 2, 5), "internet"): 10,
    (date(2024, 2, 10), "mobilfunk"): 50,
}


def _figures(h) -> dict:
    """Every figure that counts points: summaries (all forums and one), month and forum
    series, and a period across several months."""
    return {
        "summaries": [
            figures.summary(period, forum=forum)
            for period in (JANUARY, FEBRUARY, MARCH, WINTER)
            for forum in (None, h.mobilfunk, h.internet, h.empty)
        ],
        "months": [figures.months(period) for period in (FEBRUARY, MARCH)],
        "forum months": figures.months(MARCH, forum=h.internet),
        "forums": [figures.forums(period) for period in (JANUARY, FEBRUARY, WINTER)],
    }


def _rolled_up() -> dict:
    return {
        (row.day, row.forum.slug if row.forum else None): row.points
        for row in PointsDay.objects.select_related("forum")
    }


def _through() -> date | None:
    return RollupState.objects.get(pk=1).points_through


def _yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def test_the_figures_are_right_before_any_rollup(history):
    assert figures.summary(JANUARY).points_credited == EXPECTED[JANUARY]["points"]
    assert figures.summary(FEBRUARY).points_credited == EXPECTED[FEBRUARY]["points"]
    points = {row.month: str(row.points_value) for row in figures.months(MARCH)}
    assert points == {month: EXPECTED_MONTHS.get(month, (0, 0, "0.00"))[2] for month in points}


@pytest.mark.parametrize("today", ROLLUP_DAYS)
def test_the_figures_are_the_same_to_the_cent_whichever_days_are_rolled_up(history, today):
    before = _figures(history)

    points_rollup(today=today)

    assert _through() == (today - timedelta(days=1) if today else _yesterday())
    assert _figures(history) == before


def test_rolling_up_in_steps_gives_the_same_days_as_at_once(history):
    before = _figures(history)

    assert points_rollup(today=date(2024, 1, 15)) == 15  # 31 December to 14 January
    assert points_rollup(today=date(2024, 2, 2)) == 18  # 15 January to 1 February
    points_rollup()

    assert _rolled_up() == DAYS
    assert _figures(history) == before


def test_a_day_is_a_day_in_berlin(history):
    points_rollup()

    assert _rolled_up() == DAYS
    assert figures.summary(Period(date(2024, 1, 31), date(2024, 1, 31))).points_credited == 15
    assert figures.summary(Period(date(2024, 2, 1), date(2024, 2, 1))).points_credited == 20


def test_a_second_rollup_changes_nothing(history):
    points_rollup()
    days = list(PointsDay.objects.order_by("pk").values_list("pk", "day", "forum", "points"))
    before = _figures(history)

    assert points_rollup() == 0
    tasks.points_rollup()  # what beat runs every hour

    assert list(PointsDay.objects.order_by("pk").values_list("pk", "day", "forum", "points")) == (
        days
    )
    assert _through() == _yesterday()
    assert _figures(history) == before


def test_the_first_rollup_starts_at_the_day_of_the_first_entry(history):
    assert points_rollup(today=date(2024, 1, 1)) == 1  # 31 December 2023 only
    assert _rolled_up() == {(date(2023, 12, 31), "mobilfunk"): 50}


def test_with_an_empty_ledger_there_is_nothing_to_roll_up():
    assert points_rollup() == 0
    assert _rolled_up() == {}
    assert _through() == _yesterday()


def test_the_figures_read_the_days_rolled_up_instead_of_the_ledger(history):
    points_rollup()
    PointsDay.objects.filter(day=date(2024, 1, 12)).update(points=1033)  # was 33

    with CaptureQueriesContext(connection) as captured:
        january = figures.summary(JANUARY)
        rows = figures.months(MARCH)

    assert january.points_credited == 148 + 1000
    assert rows[-3].points_value == EXPECTED[JANUARY]["points_value"] + 10
    ledger = LedgerEntry._meta.db_table
    assert not [query for query in captured if ledger in query["sql"]]


def test_a_period_across_the_last_day_rolled_up_adds_both_parts(history):
    points_rollup(today=date(2024, 2, 10))  # through 9 February
    PointsDay.objects.filter(day=date(2024, 2, 5)).update(points=1010)  # was 10
    both = Period(date(2024, 1, 1), date(2024, 2, 29))

    # January, then 20 - 50 + 1010 rolled up (1 to 9 February) and 50 live (10 February)
    assert figures.summary(both).points_credited == 148 + 980 + 50
    february = figures.summary(FEBRUARY, forum=history.mobilfunk)
    assert february.points_credited == 20 + 50
    assert [row.points_value for row in figures.months(FEBRUARY)[-2:]] == [
        EXPECTED[JANUARY]["points_value"],
        EXPECTED[FEBRUARY]["points_value"] + 10,
    ]
    forums = {row.forum.slug: row.points_value for row in figures.forums(FEBRUARY)}
    assert forums == {
        "mobilfunk": Decimal("0.70"),  # 20 rolled up, 50 live
        "internet": Decimal("9.60"),  # -50 and 1010 rolled up
        "empty": Decimal("0.00"),
    }


def test_a_period_across_the_last_day_rolled_up_costs_one_query_more(history):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures.months(FEBRUARY)
        return len(captured)

    live = queries()
    points_rollup(today=date(2024, 2, 10))

    assert queries() == live + 1


def test_an_entry_written_today_after_the_rollup_counts_at_once(history):
    points_rollup()
    month = this_month()
    today = Period(timezone.localdate(), timezone.localdate())
    before = figures.summary(month, forum=history.mobilfunk).points_credited

    entry(history.petra, 7, timezone.now(), forum=history.mobilfunk)

    assert figures.summary(today).points_credited == 7
    assert figures.summary(month, forum=history.mobilfunk).points_credited == before + 7
    assert figures.months(month)[-1].points_value == figures.points_value(before + 7, 100)
    assert points_rollup() == 0  # today is not closed yet
    assert figures.summary(today).points_credited == 7


def test_an_entry_written_with_a_past_date_needs_a_rebuild(history):
    points_rollup()
    entry(history.paul, 5, berlin(2024, 1, 25), forum=history.internet)

    assert figures.summary(JANUARY).points_credited == 148  # the closed day kept its sum

    points_rollup_rebuild()

    assert figures.summary(JANUARY).points_credited == 153
    assert _rolled_up() == DAYS | {(date(2024, 1, 25), "internet"): 5}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", [False, True], ids=["first run", "state row exists"])
def test_rollups_running_at_once_add_each_day_once(history, state):
    if state:
        RollupState.objects.create(pk=1)
    days = (_yesterday() - date(2023, 12, 31)).days + 1

    results = race([points_rollup] * 5)

    assert sorted(results) == [0, 0, 0, 0, days]
    assert _rolled_up() == DAYS
    assert _through() == _yesterday()
