"""The ledger core: awards written with the action that earns them, exactly once,
and undone by reversals that restore every cached figure."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from community import services
from rewards.ledger import services as ledger
from rewards.models import (
    EconomySettings,
    EntryKind,
    LedgerEntry,
    MemberBadge,
    PointRule,
    PointsAccount,
    PointsTally,
    Rule,
)
from tests.factories import UserFactory, a_visitor, make_answer, make_question

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)


@pytest.fixture
def asker(forum):
    return UserFactory(display_name="Asker", date_joined=LONG_AGO)


@pytest.fixture
def helper(forum):
    return UserFactory(display_name="Helper", date_joined=LONG_AGO)


@pytest.fixture
def voter(forum):
    return UserFactory(display_name="Voter", date_joined=LONG_AGO)


@pytest.fixture
def thread(asker, helper, forum):
    question = make_question(author=asker, forum=forum)
    question.created_at = timezone.now() - timedelta(days=1)  # no first-answer bonus
    question.save(update_fields=["created_at"])
    return question, make_answer(question=question, author=helper)


def balance(user) -> int:
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def entries(user):
    return LedgerEntry.objects.filter(account__user=user).order_by("pk")


def assert_invariants(*users) -> None:
    for user in users:
        account = PointsAccount.objects.filter(user=user).first()
        if account is None:
            continue
        assert account.balance == account.entries.aggregate(total=Sum("amount"))["total"]


def test_accepting_an_answer_awards_the_answerer_and_the_asker(thread, asker, helper):
    question, answer = thread

    services.answer_accept(answer=answer, by=asker)

    assert balance(helper) == 50
    assert balance(asker) == 5
    award = entries(helper).get()
    assert (award.kind, award.rule, award.answer, award.forum) == (
        EntryKind.AWARD,
        Rule.ANSWER_ACCEPTED,
        answer,
        question.forum,
    )
    assert_invariants(asker, helper)


def test_awarded_points_are_held_for_the_holding_period(thread, asker, helper):
    _question, answer = thread

    services.answer_accept(answer=answer, by=asker)

    award = entries(helper).get()
    expected = timezone.now() + timedelta(days=EconomySettings.load().holding_days)
    assert abs(award.available_at - expected) < timedelta(minutes=1)


def test_accepting_twice_awards_points_once(thread, asker, helper):
    _question, answer = thread

    services.answer_accept(answer=answer, by=asker)
    services.answer_accept(answer=answer, by=asker)

    assert entries(helper).count() == 1


def test_unaccepting_writes_reversals_and_never_deletes(thread, asker, helper):
    question, answer = thread
    services.answer_accept(answer=answer, by=asker)

    services.answer_unaccept(question=question, by=asker)

    award, reversal = entries(helper)
    assert reversal.kind == EntryKind.REVERSAL
    assert reversal.reverses == award
    assert reversal.amount == -award.amount
    assert reversal.available_at == award.available_at
    assert balance(helper) == 0 and balance(asker) == 0
    assert_invariants(asker, helper)


def test_accept_unaccept_cycles_leave_exactly_one_award(thread, asker, helper):
    question, answer = thread

    for _ in range(5):
        services.answer_accept(answer=answer, by=asker)
        services.answer_unaccept(question=question, by=asker)
    services.answer_accept(answer=answer, by=asker)

    assert balance(helper) == 50
    assert balance(asker) == 5
    account = PointsAccount.objects.get(user=helper)
    assert (account.lifetime_points, account.accepted_count) == (50, 1)
    assert_invariants(asker, helper)


def test_switching_the_accepted_answer_moves_the_points(thread, asker, helper, voter):
    question, first = thread
    second = make_answer(question=question, author=voter)
    services.answer_accept(answer=first, by=asker)

    services.answer_accept(answer=second, by=asker)

    assert balance(helper) == 0
    assert balance(voter) == 50
    assert balance(asker) == 5


def test_accepting_your_own_answer_earns_nothing(asker, forum):
    question = make_question(author=asker, forum=forum)
    own = make_answer(question=question, author=asker)

    services.answer_accept(answer=own, by=asker)

    assert not LedgerEntry.objects.exists()


def test_kudos_award_and_withdrawal_reverse_exactly(thread, helper, voter):
    _question, answer = thread

    services.vote_cast(user=voter, post=answer)
    assert balance(helper) == 10

    services.vote_withdraw(user=voter, post=answer)
    assert balance(helper) == 0
    assert [e.kind for e in entries(helper)] == [EntryKind.AWARD, EntryKind.REVERSAL]


def test_new_accounts_earn_nothing_during_probation(thread, voter):
    question, _answer = thread
    newcomer = UserFactory(display_name="Newcomer")  # joined now
    answer = make_answer(question=question, author=newcomer)

    services.vote_cast(user=voter, post=answer)

    assert balance(newcomer) == 0


def test_staff_earn_no_points(thread, voter, moderator):
    question, _answer = thread
    official = make_answer(question=question, author=moderator)

    services.vote_cast(user=voter, post=official)

    assert balance(moderator) == 0


def test_points_from_votes_are_capped_per_day(thread, helper):
    _question, answer = thread
    EconomySettings.objects.filter(pk=1).update(daily_vote_cap=25)
    voters = UserFactory.create_batch(3, date_joined=LONG_AGO)

    for user in voters:
        services.vote_cast(user=user, post=answer)

    assert [e.amount for e in entries(helper)] == [10, 10, 5]


def test_the_vote_cap_counts_what_was_really_earned_not_withdrawn_kudos(thread, helper):
    # Given a cap of 50 and one member giving and withdrawing kudos 25 times
    _question, answer = thread
    EconomySettings.objects.filter(pk=1).update(daily_vote_cap=50)
    cycler = UserFactory(date_joined=LONG_AGO)
    for _ in range(25):
        services.vote_cast(user=cycler, post=answer)
        services.vote_withdraw(user=cycler, post=answer)

    # When five members give honest kudos
    for voter in UserFactory.create_batch(5, date_joined=LONG_AGO):
        services.vote_cast(user=voter, post=answer)

    # Then the author earns all 50 points
    assert balance(helper) == 50


def test_solved_too_by_a_member_credits_the_accepted_answer(thread, asker, helper, voter):
    question, answer = thread
    services.answer_accept(answer=answer, by=asker)

    services.solved_too_mark(question=question, user=voter)

    assert balance(helper) == 52


def test_solved_too_by_a_visitor_earns_nothing(thread, asker, helper):
    question, answer = thread
    services.answer_accept(answer=answer, by=asker)

    services.solved_too_mark(question=question, visitor=a_visitor("visitor-session"))

    assert balance(helper) == 50


def test_a_fast_first_answer_earns_the_bonus_once(asker, helper, voter, forum):
    question = make_question(author=asker, forum=forum)

    make_answer(question=question, author=helper)
    make_answer(question=question, author=voter)

    assert [e.rule for e in entries(helper)] == [Rule.FIRST_ANSWER_FAST]
    assert balance(voter) == 0


def test_a_rule_switched_off_awards_nothing(thread, asker, helper):
    _question, answer = thread
    PointRule.objects.filter(rule=Rule.ANSWER_ACCEPTED).update(active=False)

    services.answer_accept(answer=answer, by=asker)

    assert balance(helper) == 0


def test_a_repeated_key_is_written_once(helper):
    from django.db import transaction

    with transaction.atomic():
        account = ledger.account_for(helper)
        first = ledger.entry_add(account=account, amount=7, kind=EntryKind.AWARD, key="k:1")
        again = ledger.entry_add(account=account, amount=7, kind=EntryKind.AWARD, key="k:1")

    assert first == again
    assert balance(helper) == 7


def test_an_entry_is_reversed_at_most_once(thread, helper, voter):
    from django.db import transaction

    _question, answer = thread
    services.vote_cast(user=voter, post=answer)
    award = entries(helper).get()

    with transaction.atomic():
        ledger.entry_reverse(entry=award)
        ledger.entry_reverse(entry=award)

    assert entries(helper).count() == 2
    assert balance(helper) == 0


def test_awards_keep_the_leaderboard_tallies_and_badges(thread, asker, helper):
    question, answer = thread
    month = timezone.localtime().strftime("%Y-%m")

    services.answer_accept(answer=answer, by=asker)

    tallies = {(t.scope, t.period): t.points for t in PointsTally.objects.filter(user=helper)}
    assert tallies == {
        (0, "all"): 50,
        (0, month): 50,
        (question.forum_id, "all"): 50,
        (question.forum_id, month): 50,
    }
    assert MemberBadge.objects.filter(user=helper, badge__slug="first-solution").exists()

    services.answer_unaccept(question=question, by=asker)

    assert set(PointsTally.objects.filter(user=helper).values_list("points", flat=True)) == {0}
