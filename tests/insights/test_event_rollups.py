"""The daily event counts (insights.rollups, EventDay) against the known history
(tests/insights/history.py) and against the figures read from the events themselves:
every figure is the same whichever days are rolled up, today's events stay live, and an
event of a rolled-up day that changes later (a solution withdrawn or replaced, a
contact-page visit ending in a request, a member erased) is counted as it is now."""

import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights import events, figures, tasks
from insights.models import (
    Channel,
    ContactRequest,
    Event,
    EventDay,
    EventKind,
    PointsDay,
    RollupState,
)
from insights.periods import Period, this_month
from insights.rollups import events_rollup, events_rollup_rebuild
from privacy.erasure import services as erasure
from rewards.models import EconomySettings
from tests.concurrency import race
from tests.factories import UserFactory
from tests.insights.history import (
    FEBRUARY,
    JANUARY,
    MARCH,
    ROLLUP_DAYS,
    answer,
    berlin,
    event,
    history_build,
    question,
)

pytestmark = pytest.mark.django_db

WINTER = Period(date(2023, 12, 1), date(2024, 3, 31))
K = EventKind


def _history():
    """The history; its members, made today, are past their probation all the same."""
    h = history_build()
    EconomySettings.objects.update(probation_days=0)
    return h


@pytest.fixture(name="history")
def history_with_probation(purposes):
    """The history, with what accounts in probation caused (recorded, not counted)."""
    h = _history()
    newcomer = UserFactory(display_name="Nina Newcomer")
    event(K.SOLVED_TOO, berlin(2024, 1, 18), forum=h.mobilfunk, answer=h.answers["A1"],
          user=newcomer, probation=True)  # fmt: skip
    event(K.PEER_SOLUTION, berlin(2024, 2, 2), forum=h.internet, answer=h.answers["A6"],
          probation=True)  # fmt: skip
    return h


def _read_from_the_events() -> figures.Inputs:
    """The inputs as before any rollup: every figure read from the events and the ledger."""
    return replace(figures.Inputs.load(), events_through=None, points_through=None)


def _figures(h, inputs: figures.Inputs | None = None) -> dict:
    """Every figure that counts events: summaries and responses (all forums and one),
    month and forum series, periods across months and up to today."""
    inputs = inputs or figures.Inputs.load()
    today = this_month()
    periods = (JANUARY, FEBRUARY, MARCH, WINTER, today)
    return {
        "summaries": [
            figures.summary_and_response(period, forum=forum, inputs=inputs)
            for period in periods
            for forum in (None, h.mobilfunk, h.internet, h.empty)
        ],
        "months": [figures.months(period, inputs=inputs) for period in (FEBRUARY, MARCH, today)],
        "forum months": figures.months(MARCH, forum=h.internet, inputs=inputs),
        "forums": [figures.forums(period, inputs=inputs) for period in (JANUARY, WINTER, today)],
    }


def _rolled_up() -> dict:
    return {
        (row.day, row.forum.slug if row.forum else None, row.kind, row.member, row.probation): (
            row.count
        )
        for row in EventDay.objects.select_related("forum").exclude(kind=K.CONTACT_SUBMITTED)
    }


def _through() -> date | None:
    return RollupState.objects.get(pk=1).events_through


def _yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def test_the_history_gives_the_same_figures_before_any_rollup_as_read_from_the_events(history):
    assert _figures(history) == _figures(history, _read_from_the_events())


@pytest.mark.parametrize("today", ROLLUP_DAYS)
def test_the_figures_are_the_same_whichever_days_are_rolled_up(history, today):
    before = _figures(history)

    events_rollup(today=today)

    assert _through() == (today - timedelta(days=1) if today else _yesterday())
    assert _figures(history) == before


def test_a_day_is_a_day_in_berlin_and_counts_keep_who_said_so(history):
    events_rollup()

    rows = _rolled_up()
    assert rows[date(2024, 1, 31), "mobilfunk", K.SOLVED_TOO, True, False] == 1  # 23:30 Berlin
    assert rows[date(2024, 2, 1), "mobilfunk", K.SOLVED_TOO, False, False] == 1  # visitor v2
    assert rows[date(2024, 1, 18), "mobilfunk", K.SOLVED_TOO, True, True] == 1  # probation
    assert rows[date(2023, 12, 31), "mobilfunk", K.PEER_SOLUTION, False, False] == 1
    assert sum(rows.values()) == 15  # the 18 events but for the 3 requests sent
    assert EventDay.objects.filter(kind=K.CONTACT_SUBMITTED).count() == 3  # one without forum


def test_rolling_up_in_steps_gives_the_same_days_as_at_once(history):
    before = _figures(history)

    assert events_rollup(today=date(2024, 1, 15)) == 15  # 31 December to 14 January
    assert events_rollup(today=date(2024, 2, 2)) == 18  # 15 January to 1 February
    events_rollup()
    in_steps = _rolled_up()
    events_rollup_rebuild()

    assert _rolled_up() == in_steps
    assert _figures(history) == before


def test_a_second_rollup_changes_nothing(history):
    events_rollup()
    rows = list(EventDay.objects.order_by("pk").values())

    assert events_rollup() == 0
    tasks.events_rollup()  # what beat runs every hour

    assert list(EventDay.objects.order_by("pk").values()) == rows
    assert _through() == _yesterday()


def test_with_no_events_there_is_nothing_to_roll_up():
    assert events_rollup() == 0
    assert not EventDay.objects.exists()
    assert _through() == _yesterday()


def test_points_and_events_are_rolled_up_apart(history):
    events_rollup()

    assert RollupState.objects.get(pk=1).points_through is None
    assert not PointsDay.objects.exists()


def test_the_figures_read_the_days_rolled_up_instead_of_the_events(history):
    events_rollup()
    EventDay.objects.filter(
        day=date(2024, 1, 10), kind=K.PEER_SOLUTION
    ).update(count=1001)  # was 1  # fmt: skip

    with CaptureQueriesContext(connection) as captured:
        january = figures.summary(JANUARY)
        rows = figures.months(MARCH)

    assert january.kinds[0].count == 2 + 1000
    assert rows[-3].deflected == 5 + 1000
    assert not [query for query in captured if f'FROM "{Event._meta.db_table}"' in query["sql"]]


def test_an_event_today_after_the_rollup_counts_at_once(history):
    events_rollup()
    month = this_month()
    before = figures.summary(month, forum=history.mobilfunk).kinds[1]

    event(K.SOLVED_TOO, timezone.now(), forum=history.mobilfunk, answer=history.answers["A1"],
          visitor="today")  # fmt: skip

    after = figures.summary(month, forum=history.mobilfunk).kinds[1]
    assert (after.count, after.by_visitors) == (before.count + 1, before.by_visitors + 1)
    assert events_rollup() == 0  # today is not closed yet
    assert _figures(history) == _figures(history, _read_from_the_events())


def test_an_event_written_with_a_past_time_needs_a_rebuild(history):
    events_rollup()
    event(K.PEER_SOLUTION, berlin(2024, 1, 25), forum=history.internet)

    assert figures.summary(JANUARY).deflected == 5  # the closed day kept its count

    events_rollup_rebuild()

    assert figures.summary(JANUARY).deflected == 6
    assert _figures(history) == _figures(history, _read_from_the_events())


# --- Events of a rolled-up day that change later -------------------------------------


@pytest.fixture
def solved_in_january(history):
    """A question of 12 January solved the same day (through insights.events), with a
    second answer; then everything rolled up."""
    q = question(history.internet, berlin(2024, 1, 12, 9), timedelta(hours=1))
    second = answer(q, history.paul)
    solution = events.solution_recorded(question=q, answer=answer(q, history.petra))
    Event.objects.filter(pk=solution.pk).update(occurred_at=berlin(2024, 1, 12, 10))
    events_rollup()
    return q, second


def _peer_solutions(period: Period) -> int:
    return figures.summary(period).kinds[0].count


def test_a_solution_withdrawn_from_a_rolled_up_day_no_longer_counts(history, solved_in_january):
    q, _second = solved_in_january
    assert _peer_solutions(JANUARY) == 3

    events.solution_withdrawn(question=q)

    assert _through() == date(2024, 1, 11)  # 12 January on, read from the events
    assert _peer_solutions(JANUARY) == 2
    assert _figures(history) == _figures(history, _read_from_the_events())
    assert events_rollup() == (_yesterday() - date(2024, 1, 12)).days + 1
    assert _peer_solutions(JANUARY) == 2
    assert _figures(history) == _figures(history, _read_from_the_events())


def test_a_solution_replaced_counts_on_the_day_of_the_new_accept(history, solved_in_january):
    q, second = solved_in_january

    events.solution_recorded(question=q, answer=second)

    assert _peer_solutions(JANUARY) == 2
    assert _peer_solutions(this_month()) == 1
    assert _figures(history) == _figures(history, _read_from_the_events())
    events_rollup()
    assert _figures(history) == _figures(history, _read_from_the_events())


def test_a_visit_of_a_rolled_up_day_ending_in_a_request_counts_as_the_request(history):
    deflected = events.contact_deflected(
        visit="late", question=history.questions["Q2"], visitor="v" * 64
    )
    Event.objects.filter(pk=deflected.pk).update(occurred_at=berlin(2024, 1, 25))
    events_rollup()
    request = ContactRequest.objects.create(
        name="Erika Mustermann", email="erika@example.com", subject="Still broken", message="!"
    )

    events.contact_submitted(visit="late", request=request)

    assert _through() == date(2024, 1, 24)
    january = figures.summary(JANUARY)
    assert (january.contact_deflected, january.contact_submitted) == (1, 2)
    assert figures.summary(this_month()).contact_submitted == 1
    assert _figures(history) == _figures(history, _read_from_the_events())


def test_a_member_erased_counts_as_nobody_in_particular_on_rolled_up_days(history):
    events_rollup()
    before = figures.summary(WINTER).kinds[1]  # solved too: Mark's three marks

    erasure.erase_now(user=history.mark)

    after = figures.summary(WINTER).kinds[1]
    assert after.count == before.count
    assert (after.by_members, after.by_visitors) == (before.by_members - 3, before.by_visitors + 3)
    assert _through() == date(2024, 1, 15)  # his first mark was on 16 January
    assert _figures(history) == _figures(history, _read_from_the_events())


def test_a_change_to_an_event_of_a_day_not_rolled_up_keeps_the_days_rolled_up(history):
    events_rollup(today=date(2024, 1, 20))
    accepted = history.answers["A4"]
    events.solution_recorded(question=accepted.question, answer=accepted)  # today

    events.solution_withdrawn(question=accepted.question)

    assert _through() == date(2024, 1, 19)


@pytest.mark.django_db(transaction=True)
def test_a_rollup_waits_for_a_change_to_an_event_of_a_day_it_sums(purposes):
    """The rollup that sums 12 January starts while a solution of that day is being
    withdrawn: it waits for the withdrawal's commit instead of counting the solution."""
    h = _history()
    q = question(h.internet, berlin(2024, 1, 12, 9), timedelta(hours=1))
    solution = events.solution_recorded(question=q, answer=answer(q, h.petra))
    Event.objects.filter(pk=solution.pk).update(occurred_at=berlin(2024, 1, 12, 10))
    events_rollup(today=date(2024, 1, 12))  # through 11 January
    withdrawn, commit = threading.Event(), threading.Event()

    def withdraw():
        try:
            with transaction.atomic():
                events.solution_withdrawn(question=q)
                withdrawn.set()
                commit.wait(timeout=10)
        finally:
            connection.close()

    def roll_up():
        try:
            events_rollup(today=date(2024, 1, 13))  # sums 12 January
        finally:
            connection.close()

    writer = threading.Thread(target=withdraw)
    writer.start()
    assert withdrawn.wait(timeout=10)
    rollup = threading.Thread(target=roll_up)
    rollup.start()
    rollup.join(timeout=0.5)
    assert rollup.is_alive()  # waiting for the state row
    commit.set()
    writer.join()
    rollup.join()

    day = EventDay.objects.filter(day=date(2024, 1, 12), kind=K.PEER_SOLUTION)
    assert not day.exists()
    assert _through() == date(2024, 1, 12)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", [False, True], ids=["first run", "state row exists"])
def test_rollups_running_at_once_add_each_day_once(purposes, state):
    _history()
    if state:
        RollupState.objects.create(pk=1)
    days = (_yesterday() - date(2023, 12, 31)).days + 1

    results = race([events_rollup] * 5)

    assert sorted(results) == [0, 0, 0, 0, days]
    assert sum(EventDay.objects.values_list("count", flat=True)) == Event.objects.count()
    assert _through() == _yesterday()


def test_every_channel_and_kind_is_kept(history):
    event(K.CONTACT_DEFLECTED, berlin(2024, 1, 9), forum=history.empty,
          channel=Channel.CHAT, visitor="chat")  # fmt: skip
    event(K.WIDGET_SOLVED, berlin(2024, 1, 9), forum=history.empty, visitor="widget")
    events_rollup()

    assert EventDay.objects.filter(channel=Channel.CHAT, forum=history.empty).get().count == 1
    assert set(EventDay.objects.values_list("kind", flat=True)) == set(K.values)
