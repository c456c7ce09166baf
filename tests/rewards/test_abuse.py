"""Farming must not pay: a second account of the same household, vote rings and
accept/unaccept cycles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from rewards.fraud import selectors as fraud_selectors
from rewards.models import FraudHold, HouseholdSignal, Rule
from tests.factories import make_answer, make_question
from tests.rewards.abuse_helpers import (
    accept,
    assert_ledger_ok,
    available,
    balance,
    economy,
    entries,
    same_household,
    thread,
    veteran,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker():
    return veteran(display_name="Asker")


@pytest.fixture
def helper():
    return veteran(display_name="Helper")


def test_an_answer_accepted_by_an_account_of_the_same_household_is_held(asker, helper, forum):
    economy(holding_days=0)
    same_household(asker, helper)
    _question, answer = thread(asker=asker, helper=helper, forum=forum)

    accept(answer, asker)

    award = entries(helper, rule=Rule.ANSWER_ACCEPTED).get()
    assert (award.hold.state, award.hold.reason) == ("open", "household")
    assert award.hold.counterpart == asker
    assert balance(helper) == 50
    assert available(helper) == 0
    pairs = fraud_selectors.fraud_review_pairs(fraud_selectors.fraud_pairs_open())
    assert {(pair.member, pair.counterpart) for pair in pairs} == {(helper, asker), (asker, helper)}
    [helper_pair] = [pair for pair in pairs if pair.member == helper]
    assert [hold.entry for hold in helper_pair.holds] == [award]


def test_the_askers_points_for_accepting_are_held_too(asker, helper, forum):
    same_household(asker, helper)
    _question, answer = thread(asker=asker, helper=helper, forum=forum)

    accept(answer, asker)

    assert entries(asker, rule=Rule.ACCEPTED_BY_ASKER).get().hold.counterpart == helper


def test_members_of_different_networks_are_not_held(asker, helper, forum):
    same_household(asker, ip="84.150.12.34")
    same_household(helper, ip="84.150.99.34")
    _question, answer = thread(asker=asker, helper=helper, forum=forum)

    accept(answer, asker)

    assert not FraudHold.objects.exists()


def test_strangers_behind_one_carrier_network_are_not_held(asker, helper, forum):
    # Carrier-grade NAT: one address block, different phones.
    same_household(asker, browser="Mozilla/5.0 (Android 14) Chrome/130")
    same_household(helper, browser="Mozilla/5.0 (iPhone; iOS 18) Safari/605")
    _question, answer = thread(asker=asker, helper=helper, forum=forum)

    accept(answer, asker)

    assert not FraudHold.objects.exists()


def test_signals_older_than_the_retention_do_not_hold_points(asker, helper, forum):
    same_household(asker, helper)
    HouseholdSignal.objects.update(last_seen=timezone.localdate() - timedelta(days=31))
    _question, answer = thread(asker=asker, helper=helper, forum=forum)

    accept(answer, asker)

    assert not FraudHold.objects.exists()


def test_a_vote_ring_holds_the_kudos_that_close_it(asker, helper, forum):
    economy(vote_ring_threshold=2)
    a_posts = [make_question(author=asker, forum=forum, title=f"Asked by A, {n}") for n in "12"]
    b_posts = [make_question(author=helper, forum=forum, title=f"Asked by B, {n}") for n in "12"]

    services.vote_cast(user=asker, post=b_posts[0])
    services.vote_cast(user=helper, post=a_posts[0])
    services.vote_cast(user=asker, post=b_posts[1])
    services.vote_cast(user=helper, post=a_posts[1])

    held = FraudHold.objects.get()
    assert (held.reason, held.entry.account.user, held.counterpart) == ("vote_ring", asker, helper)


def test_accept_unaccept_cycles_leave_exactly_one_award_and_one_open_hold(asker, helper, forum):
    same_household(asker, helper)
    question, answer = thread(asker=asker, helper=helper, forum=forum)

    for _ in range(3):
        accept(answer, asker)
        services.answer_unaccept(question=question, by=asker)
    accept(answer, asker)

    assert balance(helper) == 50 and balance(asker) == 5
    open_holds = FraudHold.objects.filter(state="open", entry__account__user=helper)
    assert open_holds.count() == 1
    assert FraudHold.objects.filter(state="reversed", entry__account__user=helper).count() == 3
    assert_ledger_ok(asker, helper)


def test_switching_the_accepted_answer_moves_the_points(asker, helper, forum):
    question, first = thread(asker=asker, helper=helper, forum=forum)
    second_helper = veteran(display_name="Second")
    second = make_answer(question=question, author=second_helper)
    accept(first, asker)

    accept(second, asker)

    assert (balance(helper), balance(second_helper), balance(asker)) == (0, 50, 5)
    assert_ledger_ok(asker, helper, second_helper)


def test_a_moderator_unaccepting_reverses_what_the_accept_gave(asker, helper, forum, moderator):
    question, answer = thread(asker=asker, helper=helper, forum=forum)
    accept(answer, asker)

    services.answer_unaccept(question=question, by=moderator)

    assert balance(helper) == 0 and balance(asker) == 0
    assert_ledger_ok(asker, helper)
