"""The bulk generator for benchmarks (`seed_demo --scale`): members and posts in
proportion, consistent counters, events and points, and every constraint satisfied.
The module seeds once (`--scale 0.05` on top of the demo); each test runs in a savepoint."""

import pytest
from django.db import connection
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from accounts.models import User
from community.models import Answer, Comment, Forum, Question, QuestionTerm, Vote
from insights.models import Event, EventKind
from rewards.ledger import services as ledger
from rewards.ledger.check import ledger_differences
from rewards.models import LedgerEntry, PointsAccount, PointsTally
from tests.demo.helpers import (
    assert_counters_match_rows,
    assert_events_follow_the_threads,
    assert_first_answer_times_are_the_first_answers,
    assert_last_activity_is_the_latest_post,
    seeded_once,
)
from tests.factories import make_question

# One worker runs the whole module, so the module's seed is made once (pytest-xdist).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-bulk")]


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    with seeded_once(django_db_blocker, "--scale", "0.05") as output:
        yield output


def test_scale_generates_members_and_posts_in_proportion(scaled):
    posts = Question.objects.count() + Answer.objects.count() + Comment.objects.count()

    # 0.05 of 1,000 members and 10,000 posts, plus the demo and one long thread.
    assert 60 <= User.objects.count() <= 90
    assert 700 <= posts <= 1_200
    assert Question.objects.filter(answer_count__gte=200).exists()
    assert Vote.objects.count() > 300


def test_scale_leaves_about_sixty_percent_of_questions_solved(scaled):
    solved = Question.objects.filter(status="solved").count() / Question.objects.count()

    assert 0.45 <= solved <= 0.75


def test_scale_counters_are_consistent_and_every_question_indexed(scaled):
    assert_counters_match_rows()
    assert_last_activity_is_the_latest_post()
    assert not Question.objects.exclude(
        Exists(QuestionTerm.objects.filter(question=OuterRef("pk")))
    ).exists()
    assert not Answer.objects.filter(body_html="").exists()


def test_scale_rows_satisfy_every_constraint(scaled):
    connection.check_constraints()  # the deferred foreign keys, checked now


def test_scale_moves_id_sequences_past_the_generated_rows(scaled):
    member = User.objects.get(email="anna@example.com")
    question = make_question(author=member, forum=Forum.objects.first())

    assert question.pk > Question.objects.exclude(pk=question.pk).aggregate(m=Max("pk"))["m"]


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
