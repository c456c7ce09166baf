"""Every figure of the dashboard against the known history (tests/insights/history.py),
to the cent: savings, points, rates, response times, month and forum series."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insights import figures
from insights.models import Channel, ChannelCost, EventKind
from insights.periods import Period, month_end
from rewards.models import EconomySettings
from tests.insights.history import (
    EXPECTED,
    EXPECTED_FORUMS,
    EXPECTED_MONTHS,
    FEBRUARY,
    JANUARY,
    MARCH,
    berlin,
    event,
    history_fixture,  # noqa: F401 (the fixture `history`)
    question,
)

pytestmark = pytest.mark.django_db


def _summary_figures(s: figures.Summary) -> dict:
    return {
        "kinds": {k.kind: (k.count, k.savings) for k in s.kinds},
        "deflected": s.deflected,
        "gross": s.gross_savings,
        "points": s.points_credited,
        "points_value": s.points_value,
        "net": s.net_savings,
        "contact": (s.contact_deflected, s.contact_submitted, s.contact_rate),
    }


def _response_figures(r: figures.Response) -> tuple:
    return (r.questions, r.due, r.answered_24h, r.answer_rate, r.ttfa_median, r.ttfa_p90)


@pytest.mark.parametrize("period", [JANUARY, FEBRUARY])
def test_summary_of_a_month_is_right_to_the_cent(history, period):
    s = figures.summary(period)

    expected = {k: v for k, v in EXPECTED[period].items() if k not in ("response", "solutions")}
    assert _summary_figures(s) == expected
    assert [k.kind for k in s.kinds] == [
        "peer_solution",
        "solved_too",
        "contact_deflected",
        "widget_solved",
    ]
    assert [k.label for k in s.kinds] == [
        "Solved by a peer",
        "Solved for me too",
        "Contact page: solved by a suggestion",
        "Widget: solved by an answer",
    ]


def test_summary_says_which_costs_it_used(history):
    s = figures.summary(JANUARY)

    assert s.costs == {
        "phone": Decimal("2.30"),
        "email": Decimal("1.50"),
        "chat": Decimal("1.50"),
        "form": Decimal("0.80"),
    }
    assert s.community_channel == "phone"
    assert s.points_per_euro == 100


def test_previous_period_of_february_has_january_figures(history):
    previous = figures.summary(FEBRUARY.previous())

    assert previous.period == JANUARY
    assert previous.net_savings == Decimal("8.52")
    assert previous.deflected == 5


def test_a_period_of_days_counts_only_those_days(history):
    # 10 to 20 January: peer solutions on the 10th and the 20th (both ends count), Mark's
    # mark on the 16th; Petra's 50 and 33 points and Paul's 50.
    s = figures.summary(Period(date(2024, 1, 10), date(2024, 1, 20)))

    assert (s.deflected, s.gross_savings) == (3, Decimal("6.90"))
    assert (s.points_credited, s.points_value, s.net_savings) == (
        133,
        Decimal("1.33"),
        Decimal("5.57"),
    )
    assert (s.contact_deflected, s.contact_submitted, s.contact_rate) == (0, 0, None)


def test_summary_of_a_forum(history):
    s = figures.summary(JANUARY, forum=history.mobilfunk)

    assert {k.kind: (k.count, k.savings) for k in s.kinds} == {
        "peer_solution": (1, Decimal("2.30")),
        "solved_too": (2, Decimal("4.60")),
        "contact_deflected": (0, Decimal("0.00")),
        "widget_solved": (0, Decimal("0.00")),
    }
    assert (s.gross_savings, s.points_value, s.net_savings) == (
        Decimal("6.90"),
        Decimal("0.98"),
        Decimal("5.92"),
    )
    assert s.forum == history.mobilfunk


def test_the_current_cost_applies_to_past_events(history):
    ChannelCost.objects.filter(channel=Channel.PHONE).update(cost=Decimal("3.00"))

    # January: 4 phone events x 3.00 + 1 form x 0.80
    assert figures.summary(JANUARY).gross_savings == Decimal("12.80")


def test_a_channel_without_a_cost_row_costs_the_default(history):
    ChannelCost.objects.filter(channel=Channel.EMAIL).delete()

    s = figures.summary(FEBRUARY)

    assert s.costs["email"] == Decimal("1.50")
    assert s.gross_savings == Decimal("6.90")


def test_points_value_rounds_half_up_to_the_cent(history):
    EconomySettings.objects.filter(pk=1).update(points_per_euro=8)

    # January 148 / 8 = 18.50; February 30 / 8 = 3.75; 12 January 33 / 8 = 4.125
    assert figures.summary(JANUARY).points_value == Decimal("18.50")
    assert figures.summary(FEBRUARY).points_value == Decimal("3.75")
    assert figures.summary(Period(date(2024, 1, 12), date(2024, 1, 12))).points_value == Decimal(
        "4.13"
    )
    assert figures.points_value(-33, 8) == Decimal("-4.13")


def test_an_empty_period_has_zeros_and_no_rates(db):
    s = figures.summary(Period(date(2024, 1, 1), date(2024, 1, 31)))
    r = figures.response(Period(date(2024, 1, 1), date(2024, 1, 31)))

    assert (s.deflected, s.gross_savings, s.points_value, s.net_savings) == (
        0,
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert s.contact_rate is None
    assert (r.questions, r.answer_rate, r.ttfa_median, r.ttfa_p90, r.peer_share) == (
        0,
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("period", [JANUARY, FEBRUARY])
def test_response_figures(history, period):
    r = figures.response(period)

    assert _response_figures(r) == EXPECTED[period]["response"]
    assert (r.peer_solutions, r.staff_solutions, r.peer_share) == EXPECTED[period]["solutions"]


def test_a_question_asked_less_than_24_hours_ago_is_not_due_yet(history):
    now = timezone.now()
    today = timezone.localdate()
    question(history.internet, now - timedelta(hours=23), None)
    question(history.internet, now - timedelta(hours=2), timedelta(hours=1))
    question(history.internet, now - timedelta(hours=25), timedelta(hours=2))

    r = figures.response(Period(today - timedelta(days=2), today))

    assert (r.questions, r.due, r.answered_24h, r.answer_rate) == (3, 1, 1, Decimal("1.0000"))
    assert (r.ttfa_median, r.ttfa_p90) == (timedelta(hours=1.5), timedelta(hours=1.9))


def test_the_last_minutes_of_a_month_in_berlin_belong_to_it(history):
    # Mark's mark at 23:30 on 31 January (22:30 UTC) is January's; the visitor's at 00:30
    # on 1 February (23:30 UTC on 31 January) is February's; so are Q5 and Q8.
    jan = figures.events_list(JANUARY, kind=EventKind.SOLVED_TOO)
    feb = figures.events_list(FEBRUARY, kind=EventKind.SOLVED_TOO)

    assert berlin(2024, 1, 31, 23, 30) in [e.occurred_at for e in jan]
    assert berlin(2024, 2, 1, 0, 30) in [e.occurred_at for e in feb]
    assert history.questions["Q5"] in figures.questions_asked(JANUARY)
    assert history.questions["Q8"] in figures.questions_asked(FEBRUARY)
    assert history.questions["Q8"] not in figures.questions_asked(JANUARY)


def test_months_are_the_twelve_ending_with_the_period_with_zeros_between(history):
    rows = figures.months(FEBRUARY)

    assert [r.month for r in rows] == [date(2023, m, 1) for m in range(3, 13)] + [
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    for row in rows:
        expected = EXPECTED_MONTHS.get(row.month, (0, "0.00", "0.00", "0.00"))
        got = (row.deflected, row.gross_savings, row.points_value, row.net_savings)
        assert got == (expected[0], *map(Decimal, expected[1:])), row.month
    by_month = {r.month: r for r in rows}
    assert _response_figures(by_month[date(2024, 1, 1)].response) == EXPECTED[JANUARY]["response"]
    assert _response_figures(by_month[date(2024, 2, 1)].response) == EXPECTED[FEBRUARY]["response"]
    assert by_month[date(2023, 12, 1)].response.ttfa_median == timedelta(hours=1)
    assert by_month[date(2023, 6, 1)].response.answer_rate is None


@pytest.mark.parametrize("forum", [None, "internet"])
def test_each_months_response_is_that_of_the_month_as_a_period(history, forum):
    """The months' question figures are one aggregate per month (UNION ALL), not grouped."""
    forum = getattr(history, forum) if forum else None

    for row in figures.months(MARCH, forum=forum):
        month = Period(row.month, month_end(row.month))
        assert row.response == figures.response(month, forum=forum), row.month


def test_months_are_berlin_months_whatever_the_active_time_zone(history):
    # In UTC the visitor's mark at 00:30 on 1 February (Berlin) and Q8 would be January's.
    with timezone.override("UTC"):
        rows = {r.month: r for r in figures.months(FEBRUARY)}
        forums = figures.forums(FEBRUARY)

    assert (rows[date(2024, 1, 1)].deflected, rows[date(2024, 2, 1)].deflected) == (5, 4)
    assert rows[date(2024, 2, 1)].response.questions == 4
    assert forums[1].response.questions == 2


def test_months_end_with_the_month_of_the_end_date(history):
    rows = figures.months(Period(date(2024, 2, 20), date(2024, 3, 5)), count=3)

    assert [(r.month, r.deflected, r.net_savings) for r in rows] == [
        (date(2024, 1, 1), 5, Decimal("8.52")),
        (date(2024, 2, 1), 4, Decimal("6.60")),
        (date(2024, 3, 1), 1, Decimal("2.30")),
    ]
    assert figures.months(MARCH, forum=history.mobilfunk, count=1)[0].deflected == 0


def test_months_of_one_forum(history):
    rows = {r.month: r for r in figures.months(FEBRUARY, forum=history.internet)}

    assert rows[date(2024, 1, 1)].net_savings == Decimal("2.60")
    assert rows[date(2024, 2, 1)].points_value == Decimal("-0.40")
    assert rows[date(2024, 2, 1)].response.ttfa_p90 == timedelta(hours=2.8)


@pytest.mark.parametrize("period", [JANUARY, FEBRUARY])
def test_forums_rows(history, period):
    rows = figures.forums(period)

    assert [r.forum.slug for r in rows] == ["mobilfunk", "internet", "empty"]
    for row in rows:
        deflected, gross, value, net, response = EXPECTED_FORUMS[period][row.forum.slug]
        assert (row.deflected, row.gross_savings, row.points_value, row.net_savings) == (
            deflected,
            Decimal(gross),
            Decimal(value),
            Decimal(net),
        )
        rate = None if response[3] is None else Decimal(response[3])
        assert _response_figures(row.response) == (*response[:3], rate, *response[4:])


def test_forum_rows_add_up_to_the_summary_but_for_events_without_a_forum(history):
    rows = figures.forums(JANUARY)
    s = figures.summary(JANUARY)

    assert sum(r.gross_savings for r in rows) == s.gross_savings
    assert sum(r.points_value for r in rows) == s.points_value


def test_worst_forums_have_due_questions_lowest_answer_rate_first(history):
    assert [r.forum.slug for r in figures.worst_forums(JANUARY)] == ["mobilfunk", "internet"]
    assert [r.forum.slug for r in figures.worst_forums(JANUARY, limit=1)] == ["mobilfunk"]


def test_worst_forums_with_equal_rates_put_most_due_first(history):
    # Internet: 4 of 8 due questions answered in time, Mobilfunk 2 of 4.
    for day, hours in ((2, 30), (3, 30), (4, 30), (5, 30), (6, 2), (7, 2)):
        question(history.internet, berlin(2024, 1, day), timedelta(hours=hours))

    assert [r.forum.slug for r in figures.worst_forums(JANUARY)] == ["internet", "mobilfunk"]


def test_peer_share_counts_solutions_not_marks(history):
    r = figures.response(Period(date(2024, 1, 15), date(2024, 1, 16)))

    assert (r.peer_solutions, r.staff_solutions, r.peer_share) == (0, 1, Decimal("0.0000"))


def test_events_without_a_deflection_kind_are_not_savings(history):
    event(EventKind.STAFF_SOLUTION, berlin(2024, 1, 2), forum=history.mobilfunk)
    event(EventKind.CONTACT_SUBMITTED, berlin(2024, 1, 2), channel=Channel.CONTACT_FORM)

    s = figures.summary(JANUARY)

    assert (s.deflected, s.gross_savings) == (5, Decimal("10.00"))
    assert s.contact_rate == Decimal("0.2500")


def test_percentile_is_linear_interpolation_like_postgresql():
    hours = [timedelta(hours=h) for h in (30, 0.5, 10, 2, 5)]

    assert figures.percentile(hours, 0.5) == timedelta(hours=5)
    assert figures.percentile(hours, 0.9) == timedelta(hours=22)
    assert figures.percentile(hours[:1], 0.9) == timedelta(hours=30)
    assert figures.percentile([], 0.5) is None
