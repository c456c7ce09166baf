"""Property: whatever members do, in whatever order, the ledger explains every figure."""

import itertools
from contextlib import suppress
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community import services
from community.models import Answer, Question, Vote
from core.errors import Conflict
from rewards.ledger import services as ledger
from rewards.ledger.check import ledger_differences
from rewards.models import (
    EARNING_KINDS,
    EconomySettings,
    LedgerEntry,
    PointsAccount,
    PointsTally,
    Rule,
)
from rewards.settlement.services import settlement_run, settlements_send
from tests.factories import ForumFactory, UserFactory, link_verified, make_answer, make_question

MEMBERS = 4
_runs = itertools.count()

actions = st.lists(
    st.one_of(
        st.tuples(st.just("vote"), st.integers(0, MEMBERS - 1), st.integers(0, 3)),
        st.tuples(st.just("unvote"), st.integers(0, MEMBERS - 1), st.integers(0, 3)),
        st.tuples(st.just("accept"), st.integers(0, 1), st.integers(0, 3)),
        st.tuples(st.just("unaccept"), st.integers(0, 1), st.just(0)),
        st.tuples(st.just("solved_too"), st.integers(0, MEMBERS - 1), st.integers(0, 1)),
        st.tuples(st.just("reverse"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("settle"), st.just(0), st.just(0)),
    ),
    max_size=40,
)


def _world():
    # Points are payable at once and from 10 points, so settlements happen mid-history.
    EconomySettings.objects.filter(pk=1).update(holding_days=0, minimum_payout=10)
    long_ago = timezone.now() - timedelta(days=400)
    members = [UserFactory(date_joined=long_ago) for _ in range(MEMBERS)]
    for n, member in enumerate(members):
        link_verified(member, f"PROP{n:06d}")
    forum = ForumFactory()
    questions = [make_question(author=members[i], forum=forum) for i in range(2)]
    answers = [
        make_answer(question=questions[q], author=members[(q + 1 + k) % MEMBERS])
        for q in range(2)
        for k in range(2)
    ]
    return members, questions, answers


def _apply(action, members, questions, answers) -> None:
    name, who, what = action
    if name == "vote":
        services.vote_cast(user=members[who], post=answers[what])
    elif name == "unvote":
        services.vote_withdraw(user=members[who], post=answers[what])
    elif name == "accept":
        answer = answers[what]
        if answer.question_id == questions[who].pk:
            services.answer_accept(answer=answer, by=questions[who].author)
    elif name == "unaccept":
        services.answer_unaccept(question=questions[who], by=questions[who].author)
    elif name == "solved_too":
        services.solved_too_mark(question=questions[what], user=members[who])
    elif name == "settle":
        run = settlement_run(key=f"property-{next(_runs)}", enqueue=False)
        settlements_send(ids=list(run.settlements.values_list("pk", flat=True)))
    elif name == "reverse":
        candidates = list(LedgerEntry.objects.filter(reversed_by=None, reverses=None))
        if candidates:
            with transaction.atomic():
                ledger.entry_reverse(entry=candidates[who % len(candidates)], note="moderation")


def _check_invariants() -> None:
    assert list(ledger_differences()) == []
    for account in PointsAccount.objects.all():
        entries = account.entries
        assert account.balance == (entries.aggregate(s=Sum("amount"))["s"] or 0)
        earned = entries.filter(kind__in=EARNING_KINDS) | entries.filter(
            reverses__kind__in=EARNING_KINDS
        )
        assert account.lifetime_points == (earned.aggregate(s=Sum("amount"))["s"] or 0)
        overall = PointsTally.objects.filter(user=account.user, scope=0, period="all").first()
        assert (overall.points if overall else 0) == account.lifetime_points
    # A live vote or accept has at most one live award; a withdrawn one none.
    for vote in Vote.objects.all():
        live = LedgerEntry.objects.filter(key=f"kudos:{vote.pk}", reversed_by=None).count()
        assert live <= 1
    for answer in Answer.objects.all():
        accepted = Question.objects.filter(accepted_answer=answer).exists()
        live = LedgerEntry.objects.filter(
            answer=answer, rule=Rule.ANSWER_ACCEPTED, kind="award", reversed_by=None
        ).count()
        assert live <= (1 if accepted else 0)
    kudos_keys = {f"kudos:{pk}" for pk in Vote.objects.values_list("pk", flat=True)}
    for entry in LedgerEntry.objects.filter(rule=Rule.KUDOS_RECEIVED, kind="award"):
        if entry.key not in kudos_keys:
            assert hasattr(entry, "reversed_by"), "a withdrawn vote's award must be reversed"


@pytest.mark.django_db
# As many examples as the hypothesis profile says (tests/conftest.py).
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions)
def test_random_histories_keep_the_ledger_invariants(steps):
    with transaction.atomic():
        members, questions, answers = _world()
        for step in steps:
            # A refused action must change nothing, which the invariants check too.
            with suppress(Conflict, PermissionDenied, ValidationError):
                _apply(step, members, questions, answers)
        _check_invariants()
        transaction.set_rollback(True)
