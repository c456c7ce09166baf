"""Top contributors (only peers who consent to be listed), the drill-down lists behind
each number, and the query budget: figures cost the same queries whatever the data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights import figures
from insights.models import Channel, EventKind
from insights.periods import Period
from tests.factories import ForumFactory
from tests.insights.history import (
    FEBRUARY,
    JANUARY,
    berlin,
    entry,
    event,
    history_fixture,  # noqa: F401 (the fixture `history`)
    listed,
    question,
    unlisted,
)

pytestmark = pytest.mark.django_db


def _rows(contributors: list[figures.Contributor]) -> list[tuple]:
    return [(c.display_name, c.deflections, c.solutions, c.points) for c in contributors]


def test_top_contributors_are_only_listed_peers(history):
    # Paul has not consented; Sue is staff (her answer got a "solved too" mark).
    top = figures.top_contributors(JANUARY)

    assert _rows(top) == [("Petra Peer", 2, 1, 98)]
    assert top[0].user_id == history.petra.pk
    assert top[0].profile_url == history.petra.get_absolute_url()


def test_a_member_who_consents_is_listed_ties_broken_by_points(history):
    listed(history.paul)

    assert _rows(figures.top_contributors(JANUARY)) == [
        ("Petra Peer", 2, 1, 98),
        ("Paul Peer", 2, 1, 50),
    ]
    assert _rows(figures.top_contributors(FEBRUARY)) == [
        ("Petra Peer", 2, 1, 70),
        ("Paul Peer", 2, 0, -40),
    ]
    assert _rows(figures.top_contributors(JANUARY, limit=1)) == [("Petra Peer", 2, 1, 98)]


def test_a_member_who_withdraws_consent_is_no_longer_listed(history):
    unlisted(history.petra)

    assert figures.top_contributors(JANUARY) == []


def test_more_deflections_rank_before_more_points(history):
    listed(history.paul)
    mark = event(
        EventKind.CONTACT_DEFLECTED,
        berlin(2024, 1, 30),
        forum=history.internet,
        answer=history.answers["A2"],
        channel=Channel.CONTACT_FORM,
        visitor="v9",
    )

    assert _rows(figures.top_contributors(JANUARY))[0] == ("Paul Peer", 3, 1, 50)
    assert mark.answer.author == history.paul


def test_contributors_of_a_forum_count_only_its_events_and_points(history):
    listed(history.paul)
    entry(history.paul, 7, berlin(2024, 2, 13), forum=history.mobilfunk)

    assert _rows(figures.top_contributors(FEBRUARY, forum=history.mobilfunk)) == [
        ("Petra Peer", 2, 1, 70),
        ("Paul Peer", 1, 0, 7),
    ]


def test_staff_are_not_contributors_even_without_official_answers(history):
    history.answers["A3"].__class__.objects.filter(pk=history.answers["A3"].pk).update(
        is_official=False
    )

    assert [c.display_name for c in figures.top_contributors(JANUARY)] == ["Petra Peer"]


# --- Drill-down ------------------------------------------------------------------------


def test_events_list_shows_the_deflections_newest_first(history):
    events = list(figures.events_list(JANUARY))

    assert [e.kind for e in events] == [
        "solved_too",
        "peer_solution",
        "solved_too",
        "peer_solution",
        "contact_deflected",
    ]
    assert events[0].occurred_at == berlin(2024, 1, 31, 23, 30)


def test_events_list_by_kind_and_forum(history):
    solutions = figures.events_list(JANUARY, kind="solution")
    submitted = figures.events_list(JANUARY, kind=EventKind.CONTACT_SUBMITTED)
    internet = figures.events_list(JANUARY, forum=history.internet)

    assert sorted(e.kind for e in solutions) == ["peer_solution", "peer_solution", "staff_solution"]
    assert submitted.count() == 2
    assert [e.kind for e in internet] == ["peer_solution", "contact_deflected"]


def test_events_list_refuses_an_unknown_kind(history):
    with pytest.raises(ValidationError) as raised:
        figures.events_list(JANUARY, kind="bogus")

    assert "kind" in raised.value.message_dict


def test_questions_asked_have_their_time_to_first_answer(history):
    q = history.questions
    asked = {x.pk: x.ttfa for x in figures.questions_asked(JANUARY)}

    assert asked == {
        q["Q1"].pk: timedelta(minutes=30),
        q["Q2"].pk: timedelta(hours=2),
        q["Q3"].pk: timedelta(hours=5),
        q["Q4"].pk: timedelta(hours=30),
        q["Q5"].pk: timedelta(hours=10),
        q["Q6"].pk: None,
    }


def test_questions_answered_in_time_and_not(history):
    q = history.questions
    in_time = figures.questions_asked(JANUARY, answered_24h=True)
    late = figures.questions_asked(JANUARY, answered_24h=False)
    mobilfunk_late = figures.questions_asked(FEBRUARY, forum=history.mobilfunk, answered_24h=False)

    assert {x.pk for x in in_time} == {q[n].pk for n in ("Q1", "Q2", "Q3", "Q5")}
    assert {x.pk for x in late} == {q["Q4"].pk, q["Q6"].pk}
    assert [x.pk for x in mobilfunk_late] == [q["Q10"].pk]


def test_points_entries_are_the_awards_and_their_reversals(history):
    entries = figures.points_entries(FEBRUARY)

    assert [e.amount for e in entries] == [50, 10, -50, 20]
    assert sum(e.amount for e in entries) == 30
    assert [e.amount for e in figures.points_entries(FEBRUARY, forum=history.internet)] == [10, -50]


def test_unanswered_and_escalated_questions_oldest_first(history):
    q = history.questions
    late = question(history.internet, berlin(2024, 2, 2), None)

    assert list(figures.unanswered()) == [q["Q6"], late]
    assert list(figures.unanswered(forum=history.internet)) == [late]
    assert list(figures.escalated()) == [q["Q6"]]
    assert list(figures.escalated(forum=history.internet)) == []


def test_a_page_of_drill_down_rows_costs_one_query(history, django_assert_num_queries):
    for day in range(1, 28):
        question(history.internet, berlin(2024, 1, day, 6), timedelta(hours=day))
        event(EventKind.SOLVED_TOO, berlin(2024, 1, day, 6), forum=history.internet,
              answer=history.answers["A2"], visitor=f"page-{day}")  # fmt: skip

    with django_assert_num_queries(4):
        events = list(figures.events_list(JANUARY)[:50])
        questions = list(figures.questions_asked(JANUARY)[:50])
        entries = list(figures.points_entries(JANUARY)[:50])
        unanswered = list(figures.unanswered()[:50])
        shown = [
            *(
                (e.forum and e.forum.name, e.question and e.question.title, e.answer.author)
                for e in events
            ),
            *((x.forum.name, x.author and x.author.display_name) for x in questions),
            *((x.account.user, x.forum, x.question, x.reverses) for x in entries),
            *((x.forum.name,) for x in unanswered),
        ]
    assert len(events) == 32
    assert len(shown) == 32 + 33 + 4 + 1


# --- Query budget ----------------------------------------------------------------------


def _dashboard_queries(period: Period, forum=None) -> int:
    """As the dashboard reads them: the inputs once for every figure."""
    with CaptureQueriesContext(connection) as captured:
        inputs = figures.Inputs.load()
        figures.summary(period, forum=forum, inputs=inputs)
        figures.response(period, forum=forum, inputs=inputs)
        figures.months(period, forum=forum, inputs=inputs)
        figures.forums(period, inputs=inputs)
        figures.top_contributors(period, forum=forum)
    return len(captured)


def test_the_dashboard_figures_cost_a_fixed_number_of_queries(history):
    # Nothing rolled up: inputs 4, summary 3, response 2, months 3, forums 4, contributors 2.
    assert _dashboard_queries(JANUARY) == 18

    # A year of data in more forums, months and channels.
    more = [ForumFactory() for _ in range(3)]
    for n in range(36):
        forum = more[n % 3]
        at = berlin(2023, n % 12 + 1, n % 28 + 1, 12)
        q = question(forum, at, timedelta(hours=n + 1))
        event(EventKind.CONTACT_DEFLECTED, at, forum=forum, channel=Channel.CHAT,
              visitor=f"more-{n}")  # fmt: skip
        event(EventKind.PEER_SOLUTION, at, forum=forum)
        entry(history.petra, n + 1, at + timedelta(days=30), forum=forum)
        assert q.pk

    assert _dashboard_queries(JANUARY) == 18
    assert _dashboard_queries(Period(date(2023, 1, 1), date(2024, 2, 29))) == 18
    # Nobody to list in that forum: the contributors' second query is skipped.
    assert _dashboard_queries(JANUARY, forum=more[0]) == 17
    assert figures.summary(Period(date(2023, 1, 1), date(2023, 12, 31))).gross_savings == (
        Decimal("36") * Decimal("1.50") + Decimal("36") * Decimal("2.30") + Decimal("2.30")
    )
