"""Real threads on PostgreSQL: counters and constraints hold under concurrent writes."""

import pytest

from community import services
from community.models import Question, SolvedToo, Vote
from core.errors import Conflict
from tests.concurrency import race
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8
TIP = "Try restarting the router."


def test_a_double_click_on_kudos_from_many_threads_counts_once():
    answer = make_answer()
    voter = UserFactory()

    results = race(
        [lambda: services.vote_cast(user=voter, post=answer)] * THREADS, refused=(Conflict,)
    )

    assert sum(isinstance(r, Vote) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == THREADS - 1
    answer.refresh_from_db()
    assert answer.vote_score == Vote.objects.filter(answer=answer).count() == 1


def test_many_members_voting_at_once_lose_no_count():
    question = make_question()
    voters = UserFactory.create_batch(THREADS)

    race(
        [lambda v=v: services.vote_cast(user=v, post=question) for v in voters], refused=(Conflict,)
    )

    question.refresh_from_db()
    assert question.vote_score == Vote.objects.filter(question=question).count() == THREADS


def test_concurrent_answers_and_solved_too_marks_keep_counters_exact():
    question = make_question()
    make_answer(question=question)
    members = UserFactory.create_batch(THREADS)

    race(
        [lambda m=m: services.answer_create(question=question, author=m, body=TIP)
         for m in members[: THREADS // 2]]
        + [lambda m=m: services.solved_too_mark(question=question, user=m)
           for m in members[THREADS // 2 :]]
    , refused=(Conflict,))  # fmt: skip

    question = Question.objects.get(pk=question.pk)
    assert question.answer_count == question.answers.count() == 1 + THREADS // 2
    assert question.solved_too_count == SolvedToo.objects.filter(question=question).count()
    assert question.solved_too_count == THREADS // 2
