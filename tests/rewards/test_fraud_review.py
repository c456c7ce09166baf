"""Staff review held points: release them or reverse them, one hold or a whole pair."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import roles
from community import services
from core.errors import Conflict
from rewards.bounties import services as bounties
from rewards.fraud import selectors as fraud_selectors
from rewards.fraud import services as fraud_services
from rewards.ledger.check import ledger_differences
from rewards.models import Bounty, EntryKind, FraudHold, Rule
from tests.factories import UserFactory, with_totp
from tests.rewards.abuse_helpers import (
    PAST,
    accept,
    assert_ledger_ok,
    available,
    balance,
    earn,
    economy,
    entries,
    same_household,
    thread,
    veteran,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("rewards_fraud:queue")


@pytest.fixture
def asker():
    return veteran(display_name="Asker")


@pytest.fixture
def helper():
    return veteran(display_name="Helper")


@pytest.fixture
def held(asker, helper, forum) -> FraudHold:
    """The helper's accepted answer, held: the asker is on the same network."""
    economy(holding_days=0)
    same_household(asker, helper)
    _question, answer = thread(asker=asker, helper=helper, forum=forum)
    accept(answer, asker)
    return entries(helper, rule=Rule.ANSWER_ACCEPTED).get().hold


def test_releasing_a_hold_makes_the_points_available(held, helper, moderator):
    assert available(helper) == 0

    fraud_services.fraud_hold_release(hold=held, by=moderator)

    held.refresh_from_db()
    assert (held.state, held.decided_by) == ("released", moderator)
    assert held.decided_at is not None
    assert available(helper) == 50
    assert_ledger_ok(helper)


def test_reversing_a_hold_writes_a_reversal_and_keeps_the_balance_the_sum(held, helper, moderator):
    fraud_services.fraud_hold_reverse(hold=held, by=moderator, note="second account")

    held.refresh_from_db()
    assert (held.state, held.decided_by) == ("reversed", moderator)
    award, reversal = entries(helper)
    assert (reversal.kind, reversal.reverses, reversal.amount) == (EntryKind.REVERSAL, award, -50)
    assert reversal.note == "second account"
    assert balance(helper) == 0 and available(helper) == 0
    assert_ledger_ok(helper)


def test_deciding_a_hold_the_same_way_twice_changes_nothing(held, helper, moderator):
    fraud_services.fraud_hold_reverse(hold=held, by=moderator, note="")
    fraud_services.fraud_hold_reverse(hold=held, by=moderator, note="")

    assert entries(helper).count() == 2
    assert balance(helper) == 0


def test_a_decided_hold_cannot_be_decided_the_other_way(held, helper, moderator):
    fraud_services.fraud_hold_release(hold=held, by=moderator)

    with pytest.raises(Conflict):
        fraud_services.fraud_hold_reverse(hold=held, by=moderator, note="")

    assert entries(helper).count() == 1
    held.refresh_from_db()
    assert held.state == "released"


def test_members_cannot_decide_holds(held, helper):
    with pytest.raises(PermissionDenied):
        fraud_services.fraud_hold_release(hold=held, by=helper)

    held.refresh_from_db()
    assert held.state == "open"


def test_unaccepting_a_held_answer_closes_the_hold_as_reversed(held, asker, helper):
    services.answer_unaccept(question=held.entry.answer.question, by=asker)

    held.refresh_from_db()
    assert held.state == "reversed"
    assert not fraud_selectors.fraud_pairs_open().filter(entry__account__user=helper).exists()


def test_the_queue_groups_holds_by_pair_oldest_first(held, asker, helper, forum):
    _question, answer = thread(asker=asker, helper=helper, forum=forum)
    accept(answer, asker)

    pairs = fraud_selectors.fraud_review_pairs(fraud_selectors.fraud_pairs_open())

    assert [(p.member, p.counterpart) for p in pairs] == [(helper, asker), (asker, helper)]
    assert [h.entry.amount for h in pairs[0].holds] == [50, 50]
    assert pairs[0].points == 100
    assert pairs[0].reasons == [FraudHold.Reason.HOUSEHOLD.label]


def test_a_member_gets_403_on_the_review_page(member_client):
    response = member_client.get(QUEUE)

    assert response.status_code == 403


def test_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_moderator_sees_the_held_pairs_with_links_to_the_posts(moderator_client, held):
    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Helper" in page and "Asker" in page
    assert held.entry.answer.get_absolute_url() in page
    assert reverse("rewards_fraud:hold", args=[held.pk]) in page


def test_a_community_manager_may_review(client, held):
    manager = with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS))
    client.force_login(manager)

    assert client.get(QUEUE).status_code == 200


def test_the_page_answers_with_the_same_number_of_queries_for_more_pairs(
    moderator_client, held, forum, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        moderator_client.get(QUEUE)
    for _ in range(4):
        asker, helper = veteran(), veteran()
        same_household(asker, helper, ip="91.7.7.7")
        _question, answer = thread(asker=asker, helper=helper, forum=forum)
        accept(answer, asker)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(QUEUE)

    assert len(response.context["pairs"]) == 10


def test_releasing_from_the_page(moderator_client, held, moderator, helper):
    response = moderator_client.post(
        reverse("rewards_fraud:hold", args=[held.pk]), {"action": "release"}
    )

    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.state, held.decided_by) == ("released", moderator)
    assert available(helper) == 50


def test_reversing_all_holds_of_a_pair_from_the_page(moderator_client, held, asker, helper, forum):
    _question, answer = thread(asker=asker, helper=helper, forum=forum)
    accept(answer, asker)
    url = reverse("rewards_fraud:pair", args=[held.entry.account_id, asker.pk])

    moderator_client.post(url, {"action": "reverse", "note": "one person, two accounts"})

    assert balance(helper) == 0
    assert not FraudHold.objects.filter(entry__account__user=helper, state="open").exists()
    # The other direction of the pair (the asker's points for accepting) is its own pair.
    assert FraudHold.objects.filter(entry__account__user=asker, state="open").count() == 2
    assert_ledger_ok(helper, asker)


def test_an_unknown_action_is_refused_and_changes_nothing(moderator_client, held):
    response = moderator_client.post(
        reverse("rewards_fraud:hold", args=[held.pk]), {"action": "delete"}
    )

    assert response.status_code == 400
    held.refresh_from_db()
    assert held.state == "open"


def test_a_member_cannot_post_decisions(member_client, held):
    response = member_client.post(
        reverse("rewards_fraud:hold", args=[held.pk]), {"action": "release"}
    )

    assert response.status_code == 403
    held.refresh_from_db()
    assert held.state == "open"


def test_a_conflicting_decision_from_the_page_shows_a_message(moderator_client, held, moderator):
    fraud_services.fraud_hold_reverse(hold=held, by=moderator, note="")

    response = moderator_client.post(
        reverse("rewards_fraud:hold", args=[held.pk]), {"action": "release"}, follow=True
    )

    assert "cannot be released" in response.content.decode()


# --- A held bounty win ------------------------------------------------------------


@pytest.fixture
def bounty_won(asker, helper, forum) -> Bounty:
    """The asker's bounty of 100, won by the helper's accepted answer and held: the two
    are on the same network."""
    earn(asker, 200, available_at=PAST)
    same_household(asker, helper)
    question, answer = thread(asker=asker, helper=helper, forum=forum)
    bounty = bounties.bounty_offer(question=question, by=asker, points=100, days=7)
    accept(answer, asker)
    return bounty


def _held_win(helper) -> FraudHold:
    return entries(helper, kind=EntryKind.BOUNTY_WON).get().hold


def test_reversing_a_held_bounty_win_returns_the_stake_to_the_asker(
    bounty_won, asker, helper, moderator
):
    assert balance(asker) == 105  # 200 - 100 staked + 5 for accepting

    fraud_services.fraud_hold_reverse(hold=_held_win(helper), by=moderator, note="one person")

    bounty_won.refresh_from_db()
    assert bounty_won.state == Bounty.State.REFUNDED
    refund = entries(asker, kind=EntryKind.BOUNTY_REFUND).get()
    assert (refund.amount, refund.key, refund.bounty) == (
        100,
        f"bounty-refund:{bounty_won.pk}",
        bounty_won,
    )
    assert balance(asker) == 205
    assert balance(helper) == 50  # the accept's points, still held for review
    assert list(ledger_differences()) == []


def test_reversing_a_held_bounty_win_twice_returns_the_stake_once(
    bounty_won, asker, helper, moderator
):
    hold = _held_win(helper)

    fraud_services.fraud_hold_reverse(hold=hold, by=moderator)
    fraud_services.fraud_hold_reverse(hold=hold, by=moderator)

    assert entries(asker, kind=EntryKind.BOUNTY_REFUND).count() == 1
    assert balance(asker) == 205
    assert list(ledger_differences()) == []


def test_reversing_a_pairs_holds_returns_the_bounty_stake_too(bounty_won, asker, helper, moderator):
    holds = fraud_selectors.fraud_pair_holds(
        account_id=entries(helper).first().account_id, counterpart_id=asker.pk
    )
    assert holds.count() == 2  # the accept's points and the bounty

    fraud_services.fraud_holds_reverse(holds=holds, by=moderator, note="one person")

    assert balance(helper) == 0
    assert balance(asker) == 205
    bounty_won.refresh_from_db()
    assert bounty_won.state == Bounty.State.REFUNDED
    assert list(ledger_differences()) == []


def test_reversing_only_the_accepts_held_points_leaves_the_bounty_won(
    bounty_won, asker, helper, moderator
):
    accepted = entries(helper, rule=Rule.ANSWER_ACCEPTED).get().hold

    fraud_services.fraud_hold_reverse(hold=accepted, by=moderator)

    bounty_won.refresh_from_db()
    assert bounty_won.state == Bounty.State.AWARDED
    assert not entries(asker, kind=EntryKind.BOUNTY_REFUND).exists()
    assert balance(helper) == 100
    assert list(ledger_differences()) == []
