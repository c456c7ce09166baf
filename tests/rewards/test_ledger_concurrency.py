"""Real threads on PostgreSQL: many members voting and accepting at once never lose or
duplicate a ledger entry, and balances stay the sum of their entries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone

from community import services
from core.errors import Conflict
from rewards.models import LedgerEntry, PointsAccount, Rule
from tests.concurrency import race
from tests.factories import ForumFactory, UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def _veterans(n):
    return UserFactory.create_batch(n, date_joined=timezone.now() - timedelta(days=400))


def _assert_balances_are_sums():
    for account in PointsAccount.objects.all():
        assert account.balance == account.entries.aggregate(s=Sum("amount"))["s"]


def test_many_members_voting_on_the_same_answers_at_once_write_one_entry_each():
    author, *voters = _veterans(THREADS + 1)
    forum = ForumFactory()
    answers = [make_answer(question=make_question(forum=forum), author=author) for _ in range(2)]

    race(
        [lambda v=v, a=a: services.vote_cast(user=v, post=a) for v in voters for a in answers],
        refused=(Conflict, PermissionDenied),
    )

    kudos = LedgerEntry.objects.filter(rule=Rule.KUDOS_RECEIVED, account__user=author)
    assert kudos.count() == 2 * THREADS
    assert len(set(kudos.values_list("key", flat=True))) == 2 * THREADS
    _assert_balances_are_sums()


def test_a_double_click_on_accept_awards_once():
    asker, helper = _veterans(2)
    question = make_question(author=asker)
    answer = make_answer(question=question, author=helper)

    race(
        [lambda: services.answer_accept(answer=answer, by=asker)] * THREADS,
        refused=(Conflict, PermissionDenied),
    )

    assert LedgerEntry.objects.filter(account__user=helper, rule=Rule.ANSWER_ACCEPTED).count() == 1
    _assert_balances_are_sums()


def test_members_accepting_each_others_answers_at_once_do_not_deadlock():
    # Each member asks one question, answered by the next: accepting locks two accounts,
    # in opposite orders for neighbours unless locks are taken in a fixed order.
    members = _veterans(THREADS)
    pairs = []
    for i, asker in enumerate(members):
        question = make_question(author=asker)
        pairs.append((make_answer(question=question, author=members[(i + 1) % THREADS]), asker))
    votes = [(members[(i + 2) % THREADS], a) for i, (a, _asker) in enumerate(pairs)]

    results = race(
        [lambda a=a, by=by: services.answer_accept(answer=a, by=by) for a, by in pairs]
        + [lambda v=v, a=a: services.vote_cast(user=v, post=a) for v, a in votes]
        + [lambda v=v, a=a: services.vote_withdraw(user=v, post=a) for v, a in votes],
        refused=(Conflict, PermissionDenied),
    )

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    assert LedgerEntry.objects.filter(rule=Rule.ANSWER_ACCEPTED).count() == THREADS
    assert LedgerEntry.objects.filter(rule=Rule.ACCEPTED_BY_ASKER).count() == THREADS
    _assert_balances_are_sums()


def test_accepts_and_unaccepts_racing_on_one_question_leave_at_most_one_live_award():
    asker, helper, other = _veterans(3)
    question = make_question(author=asker)
    first = make_answer(question=question, author=helper)
    second = make_answer(question=question, author=other)

    race(
        [lambda: services.answer_accept(answer=first, by=asker)] * 3
        + [lambda: services.answer_accept(answer=second, by=asker)] * 3
        + [lambda: services.answer_unaccept(question=question, by=asker)] * 2,
        refused=(Conflict, PermissionDenied),
    )

    question.refresh_from_db()
    live = LedgerEntry.objects.filter(
        rule=Rule.ANSWER_ACCEPTED, kind="award", reversed_by__isnull=True
    )
    assert live.count() == (1 if question.accepted_answer_id else 0)
    if question.accepted_answer_id:
        assert live.get().answer_id == question.accepted_answer_id
    _assert_balances_are_sums()
