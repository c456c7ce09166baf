"""The demo's year for the deflection dashboard (demo/insights.py, called by seed_demo):
events that follow the back-dated threads and contact-page visits over 12 months. The bulk
generator's year (`seed_demo --scale`) is checked in test_bulk.py."""

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from demo.insights import SENDERS
from insights import figures, periods
from insights.models import ContactRequest, Event, EventKind
from tests.demo.helpers import (
    SOLUTIONS,
    assert_events_follow_the_threads,
    assert_first_answer_times_are_the_first_answers,
    seed,
    seeded_once,
)

# One worker runs the whole module, so the module's seed is made once (pytest-xdist).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-insights")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """When the demo was seeded; the module's tests share the one seed."""
    with seeded_once(django_db_blocker):
        yield timezone.now()


def months_back(now, count: int) -> list[str]:
    """The `count` calendar months up to now's, in the reporting time zone."""
    month = timezone.localtime(now).date().replace(day=1)
    months = []
    for _month in range(count):
        months.append(month.strftime("%Y-%m"))
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def test_the_demo_has_every_kind_of_event_in_at_least_ten_of_the_last_twelve_months(demo):
    kinds = Counter(Event.objects.values_list("kind", flat=True))
    months = Counter(
        timezone.localtime(at).strftime("%Y-%m")
        for at in Event.objects.values_list("occurred_at", flat=True)
    )

    assert set(kinds) == set(EventKind.values)
    assert kinds[EventKind.CONTACT_DEFLECTED] >= 10
    assert kinds[EventKind.CONTACT_SUBMITTED] >= 10
    assert sum(1 for month in months_back(demo, 12) if months[month]) >= 10
    assert not Event.objects.filter(occurred_at__gt=demo).exists()
    assert not Event.objects.filter(occurred_at__lt=demo - timedelta(days=366)).exists()


def test_demo_visits_end_on_community_answers_more_often_as_the_community_grows(demo):
    """The trend the dashboard's charts show: the contact page's deflection rate rises."""
    visits = Event.objects.filter(
        kind__in=(EventKind.CONTACT_DEFLECTED, EventKind.CONTACT_SUBMITTED)
    )
    recent = visits.filter(occurred_at__gte=demo - timedelta(days=90))
    earlier = visits.filter(occurred_at__lt=demo - timedelta(days=180))

    def rate(rows) -> float:
        return rows.filter(kind=EventKind.CONTACT_DEFLECTED).count() / rows.count()

    assert rate(recent) > 0.4
    assert rate(earlier) < rate(recent)
    assert recent.count() > visits.count() / 4  # more visits lately, too


def test_demo_solutions_marks_and_first_answers_are_dated_when_they_happened(demo):
    assert_events_follow_the_threads()
    assert Event.objects.filter(kind__in=SOLUTIONS, occurred_at__lt=demo - timedelta(days=30))
    assert_first_answer_times_are_the_first_answers()


def test_demo_visits_end_only_on_questions_solved_by_then(demo):
    solved_at = dict(
        Event.objects.filter(kind__in=SOLUTIONS).values_list("question", "occurred_at")
    )
    deflected = Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED)

    for event in deflected:
        assert event.occurred_at > solved_at[event.question_id]
        assert event.answer_id == event.question.accepted_answer_id
        assert event.forum_id == event.question.forum_id
        assert event.visitor and event.user_id is None
    assert deflected.values("forum").distinct().count() >= 2


def test_demo_requests_were_forwarded_and_the_old_ones_purged(demo, settings):
    submitted = Event.objects.filter(kind=EventKind.CONTACT_SUBMITTED)
    requests = ContactRequest.objects.all()

    assert submitted.filter(contact_request__isnull=True).count() == 0
    assert requests.count() == submitted.count()
    assert not requests.exclude(state=ContactRequest.State.FORWARDED).exists()
    cutoff = demo - timedelta(days=settings.CONTACT_RETENTION_DAYS)
    recent, old = requests.filter(created_at__gte=cutoff), requests.filter(created_at__lt=cutoff)
    assert recent.exists() and old.exists()
    assert not recent.filter(name="").exists()
    assert set(recent.values_list("name", flat=True)) <= set(SENDERS)
    assert not old.exclude(name="", email="", message="").exists()
    assert not old.filter(purged_at__isnull=True).exists()
    for event in submitted.select_related("contact_request"):
        assert event.occurred_at == event.contact_request.created_at
        assert event.forum_id == event.contact_request.forum_id


def test_the_demo_rolls_up_its_year_and_the_figures_are_those_of_the_events(demo):
    rolled = figures.Inputs.load()
    unrolled = replace(rolled, events_through=None, points_through=None)
    month = periods.this_month()

    yesterday = timezone.localdate() - timedelta(days=1)
    assert rolled.events_through == rolled.points_through == yesterday
    assert figures.months(month, inputs=rolled) == figures.months(month, inputs=unrolled)
    year = periods.Period(month.start - timedelta(days=365), month.end)
    assert figures.forums(year, inputs=rolled) == figures.forums(year, inputs=unrolled)


def test_seeding_again_with_if_empty_adds_no_events(demo):
    counts = Event.objects.count(), ContactRequest.objects.count()

    assert "left it as it is" in seed("--if-empty")

    assert (Event.objects.count(), ContactRequest.objects.count()) == counts
