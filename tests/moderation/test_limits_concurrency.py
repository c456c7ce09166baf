"""Trust-level limits hold when a member fires many requests at the same moment: the
count and the write happen under the member's row lock (real threads, PostgreSQL)."""

import pytest

from community import services
from community.models import Answer, Vote
from core.errors import RateLimited
from moderation.flags import services as flags
from moderation.models import Flag, FlagReason, TrustLevel
from tests.concurrency import race
from tests.factories import ForumFactory, UserFactory, make_answer, make_question
from tests.moderation.helpers import set_limits, trusted_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rate_limits")]
THREADS = 8


def test_simultaneous_answers_stop_at_the_hourly_post_limit():
    set_limits(TrustLevel.MEMBER, posts_per_hour=3)
    member = trusted_as(TrustLevel.MEMBER)
    question = make_question(forum=ForumFactory())

    results = race(
        [
            lambda n=n: services.answer_create(
                question=question, author=member, body=f"Answer number {n}: restart it."
            )
            for n in range(THREADS)
        ],
        refused=(RateLimited,),
    )

    assert sum(isinstance(r, Answer) for r in results) == 3
    assert sum(isinstance(r, RateLimited) for r in results) == THREADS - 3
    assert Answer.objects.filter(author=member).count() == 3


def test_simultaneous_kudos_stop_at_the_daily_limit():
    set_limits(TrustLevel.MEMBER, votes_per_day=2)
    member = trusted_as(TrustLevel.MEMBER)
    answers = [make_answer() for _ in range(THREADS)]

    results = race(
        [lambda a=a: services.vote_cast(user=member, post=a) for a in answers],
        refused=(RateLimited,),
    )

    assert sum(isinstance(r, Vote) for r in results) == 2
    assert Vote.objects.filter(user=member).count() == 2


def test_simultaneous_flags_stop_at_the_daily_limit():
    set_limits(TrustLevel.MEMBER, flags_per_day=2)
    member = trusted_as(TrustLevel.MEMBER)
    answers = [make_answer() for _ in range(THREADS)]

    race(
        [
            lambda a=a: flags.flag_create(flagger=member, target=a, reason=FlagReason.SPAM)
            for a in answers
        ],
        refused=(RateLimited,),
    )

    assert Flag.objects.filter(flagger=member).count() == 2


def test_giving_and_taking_back_kudos_both_count_against_the_daily_limit():
    set_limits(TrustLevel.MEMBER, votes_per_day=6)
    member = trusted_as(TrustLevel.MEMBER)
    answer = make_answer(author=UserFactory())

    cycles = 0
    with pytest.raises(RateLimited):
        for _ in range(25):
            services.vote_cast(user=member, post=answer)
            services.vote_withdraw(user=member, post=answer)
            cycles += 1

    assert cycles == 3  # each cycle is two of the six kudos actions of the day
    assert not Vote.objects.filter(user=member).exists()
