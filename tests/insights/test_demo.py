"""The demo's year for the deflection dashboard (insights.demo, called by seed_demo) and
the bulk generator's (`seed_demo --scale`): events that follow the back-dated threads,
contact-page visits over 12 months, and points whose ledger stays consistent."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from community.models import Answer, Question, SolvedToo
from insights.demo import SENDERS
from insights.models import ContactRequest, Event, EventKind
from rewards import ledger
from rewards.ledger_check import ledger_differences
from rewards.models import LedgerEntry, PointsAccount, PointsTally

pytestmark = pytest.mark.django_db

SOLUTIONS = (EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def demo():
    seed()
    return timezone.now()


def months_back(now, count: int) -> list[str]:
    """The `count` calendar months up to now's, in the reporting time zone."""
    month = timezone.localtime(now).date().replace(day=1)
    months = []
    for _month in range(count):
        months.append(month.strftime("%Y-%m"))
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def assert_events_follow_the_threads() -> None:
    """Every solution and mark has its event, at the back-dated time of what it counts."""
    solved = Question.objects.filter(accepted_answer__isnull=False)
    solutions = Event.objects.filter(kind__in=SOLUTIONS)
    assert solutions.count() == solved.count()
    for event in solutions.select_related("question__accepted_answer"):
        assert event.occurred_at == event.question.accepted_answer.created_at
    marks = {mark.pk: mark for mark in SolvedToo.objects.all()}
    recorded = Event.objects.filter(kind=EventKind.SOLVED_TOO)
    assert recorded.count() == len(marks)
    for event in recorded:
        assert event.occurred_at == marks[int(event.key.split(":")[1])].created_at


def assert_first_answer_times_are_the_first_answers() -> None:
    first = dict(
        Answer.objects.filter(visibility="visible")
        .values_list("question_id")
        .annotate(at=Min("created_at"))
    )
    for pk, at in Question.objects.values_list("pk", "first_answer_at"):
        assert at == first.get(pk), pk


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


def test_seeding_again_with_if_empty_adds_no_events(demo):
    counts = Event.objects.count(), ContactRequest.objects.count()

    assert "left it as it is" in seed("--if-empty")

    assert (Event.objects.count(), ContactRequest.objects.count()) == counts


# --- The bulk generator ------------------------------------------------------------------


@pytest.fixture
def scaled():
    seed("--scale", "0.05")


def test_scale_records_every_solution_mark_and_first_answer_and_visits_in_proportion(scaled):
    generated = {"question__author__email__endswith": "@example.net"}
    peers = Event.objects.filter(kind=EventKind.PEER_SOLUTION, **generated).count()
    deflected = Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED, **generated).count()
    # The demo's own requests have a ContactRequest; the generated visits have none.
    submitted = Event.objects.filter(
        kind=EventKind.CONTACT_SUBMITTED, contact_request__isnull=True
    ).count()

    assert_events_follow_the_threads()
    assert peers > 20
    assert 1.2 * peers <= deflected <= 1.8 * peers
    assert 0.8 * peers <= submitted <= 1.2 * peers
    assert Event.objects.filter(kind=EventKind.STAFF_SOLUTION, **generated).exists()
    assert not Event.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert Question.objects.filter(first_answer_at__isnull=False).count() > 50
    assert_first_answer_times_are_the_first_answers()


def test_scale_points_history_keeps_the_ledger_consistent(scaled):
    generated = PointsAccount.objects.filter(user__email__endswith="@example.net")
    tallies = set(PointsTally.objects.values_list("user_id", "scope", "period", "points"))

    assert list(ledger_differences()) == []
    assert generated.filter(balance__gt=0).count() > 20
    account = generated.order_by("-accepted_count").first()
    assert account.accepted_count == (
        account.entries.filter(rule="answer_accepted", kind="award").count()
        - account.entries.filter(rule="answer_accepted", kind="reversal").count()
    )
    ledger.tallies_rebuild()  # what the ledger's own rebuild makes of the same entries
    assert set(PointsTally.objects.values_list("user_id", "scope", "period", "points")) == tallies
    # Awards for solutions are dated like the solutions' events.
    solutions = dict(
        Event.objects.filter(kind=EventKind.PEER_SOLUTION).values_list("answer", "occurred_at")
    )
    awards = LedgerEntry.objects.filter(
        rule="answer_accepted", kind="award", account__user__email__endswith="@example.net"
    )

    assert awards.count() > 20
    for answer, at in awards.values_list("answer", "created_at"):
        assert at == solutions[answer]
