"""Seeding the demo for the tests of tests/demo/, and the checks they share.

A full seed takes about ten seconds, so each module seeds once (`seeded_once`) inside a
transaction that is rolled back after the module; pytest-django runs each test in a
savepoint inside it, so a test's own writes are gone before the next test starts.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max, Min

from community.models import Answer, Comment, Forum, Question, SolvedToo, Vote
from insights.defaults import ensure_insights_defaults
from insights.models import Event, EventKind
from insights.permissions import insights_groups_grant
from moderation.defaults import ensure_moderation_defaults
from moderation.permissions import staff_groups_grant
from privacy.defaults import ensure_default_purposes
from privacy.models import ConsentPurpose, ConsentText
from rewards.defaults import ensure_economy_defaults
from search.permissions import search_groups_grant

SOLUTIONS = (EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, verbosity=0 if "--scale" in args else 1)
    return out.getvalue()


@contextmanager
def seeded_once(django_db_blocker, *args: str) -> Iterator[str]:
    """For a module-scoped fixture: `seed_demo *args` in a transaction that is rolled
    back when the module's tests are done. Yields what the command printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        _defaults()
        yield seed(*args)
        transaction.set_rollback(True)


def _defaults() -> None:
    """What the migrations create and the demo builds on, put back: a transactional test
    that ran before on this worker emptied every table."""
    ensure_default_purposes(ConsentPurpose, ConsentText)
    ensure_economy_defaults(apps)
    ensure_moderation_defaults(apps)
    ensure_insights_defaults(apps)
    for grant in (staff_groups_grant, insights_groups_grant, search_groups_grant):
        grant(apps)


def assert_counters_match_rows() -> None:
    """Counted in Python from the rows, independently of the SQL that set the counters.
    Counters count visible posts only (the demo holds some for review)."""
    visible = Answer.objects.filter(visibility="visible")
    answers = Counter(visible.values_list("question_id", flat=True))
    answers_by_forum = Counter(
        visible.filter(question__visibility="visible").values_list("question__forum_id", flat=True)
    )
    questions_by_forum = Counter(
        Question.objects.filter(visibility="visible").values_list("forum_id", flat=True)
    )
    votes = Counter(Vote.objects.values_list("question_id", "answer_id"))
    marks = Counter(SolvedToo.objects.values_list("question_id", flat=True))
    for forum in Forum.objects.all():
        assert forum.question_count == questions_by_forum[forum.pk]
        assert forum.answer_count == answers_by_forum[forum.pk]
    for question in Question.objects.all():
        assert question.answer_count == answers[question.pk]
        assert question.vote_score == votes[(question.pk, None)]
        assert question.solved_too_count == marks[question.pk]
        assert (question.status == "solved") == (question.accepted_answer_id is not None)
    for answer in Answer.objects.all():
        assert answer.vote_score == votes[(None, answer.pk)]


def assert_last_activity_is_the_latest_post() -> None:
    answers = Answer.objects.filter(visibility="visible")
    by_answers = dict(answers.values_list("question_id").annotate(at=Max("created_at")))
    comments = Comment.objects.filter(visibility="visible")
    by_comments = dict(comments.values_list("answer__question_id").annotate(at=Max("created_at")))
    for question in Question.objects.all():
        times = [question.created_at, by_answers.get(question.pk), by_comments.get(question.pk)]
        assert question.last_activity_at == max(t for t in times if t)


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
