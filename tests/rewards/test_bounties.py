"""Bounties: an asker stakes available points on an open question; they go to the accepted
answer, or back after the deadline."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from community import services
from rewards.bounties import services as bounties
from rewards.models import Bounty, EconomySettings, EntryKind, FraudHold
from rewards.tasks import abuse as tasks
from tests.factories import make_answer
from tests.rewards.abuse_helpers import (
    PAST,
    accept,
    assert_ledger_ok,
    available,
    balance,
    earn,
    entries,
    same_household,
    thread,
    veteran,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker():
    user = veteran(display_name="Asker")
    earn(user, 200, available_at=PAST)
    return user


@pytest.fixture
def helper():
    return veteran(display_name="Helper")


@pytest.fixture
def qa(asker, helper, forum):
    return thread(asker=asker, helper=helper, forum=forum)


@pytest.fixture
def offered(qa, asker) -> Bounty:
    question, _answer = qa
    return bounties.bounty_offer(question=question, by=asker, points=100, days=7)


def deadline_passes(bounty: Bounty) -> None:
    Bounty.objects.filter(pk=bounty.pk).update(deadline=timezone.now() - timedelta(minutes=1))


def won(user):
    return entries(user, kind=EntryKind.BOUNTY_WON)


def test_offering_a_bounty_stakes_the_askers_points_at_once(offered, asker, qa):
    question, _answer = qa

    assert (offered.question, offered.points, offered.state) == (question, 100, "open")
    assert abs(offered.deadline - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    stake = entries(asker, kind=EntryKind.BOUNTY_STAKE).get()
    assert (stake.amount, stake.key, stake.bounty) == (-100, f"bounty-stake:{offered.pk}", offered)
    assert balance(asker) == 100 and available(asker) == 100
    assert_ledger_ok(asker)


def test_an_asker_cannot_offer_more_than_their_available_points(qa, asker):
    question, _answer = qa
    earn(asker, 500, available_at=timezone.now() + timedelta(days=14))

    with pytest.raises(ValidationError) as error:
        bounties.bounty_offer(question=question, by=asker, points=201, days=7)

    assert "points" in error.value.message_dict
    assert not Bounty.objects.exists()
    assert balance(asker) == 700


def test_held_points_cannot_be_staked(qa, asker):
    question, _answer = qa
    entry = earn(asker, 500, available_at=PAST)
    FraudHold.objects.create(entry=entry, reason=FraudHold.Reason.HOUSEHOLD)

    with pytest.raises(ValidationError):
        bounties.bounty_offer(question=question, by=asker, points=300, days=7)


@pytest.mark.parametrize(
    ("points", "days", "field"), [(9, 7, "points"), (50, 0, "days"), (50, 31, "days")]
)
def test_too_few_points_or_days_out_of_range_are_refused(qa, asker, points, days, field):
    question, _answer = qa

    with pytest.raises(ValidationError) as error:
        bounties.bounty_offer(question=question, by=asker, points=points, days=days)

    assert field in error.value.message_dict
    assert balance(asker) == 200


def test_no_bounty_on_a_solved_question(qa, asker):
    question, answer = qa
    accept(answer, asker)

    with pytest.raises(ValidationError):
        bounties.bounty_offer(question=question, by=asker, points=50, days=7)

    assert not Bounty.objects.exists()


def test_only_the_asker_can_offer_a_bounty(qa, helper):
    question, _answer = qa
    earn(helper, 200, available_at=PAST)

    with pytest.raises(PermissionDenied):
        bounties.bounty_offer(question=question, by=helper, points=50, days=7)

    assert balance(helper) == 200


def test_offering_twice_makes_one_bounty(offered, qa, asker):
    question, _answer = qa

    with pytest.raises(ValidationError):
        bounties.bounty_offer(question=question, by=asker, points=50, days=7)

    assert Bounty.objects.count() == 1
    assert balance(asker) == 100


def test_the_accepted_answer_wins_the_bounty_after_the_holding_period(offered, qa, asker, helper):
    _question, answer = qa

    accept(answer, asker)

    entry = won(helper).get()
    assert (entry.amount, entry.answer, entry.bounty) == (100, answer, offered)
    holding = timedelta(days=EconomySettings.load().holding_days)
    assert abs(entry.available_at - (timezone.now() + holding)) < timedelta(minutes=1)
    offered.refresh_from_db()
    assert offered.state == "awarded"
    assert balance(helper) == 150  # the bounty and the accepted answer's points
    assert_ledger_ok(asker, helper)


def test_a_bounty_won_in_the_same_household_is_held(offered, qa, asker, helper):
    _question, answer = qa
    same_household(asker, helper)

    accept(answer, asker)

    hold = won(helper).get().hold
    assert (hold.state, hold.counterpart) == ("open", asker)


def test_the_askers_own_answer_or_a_staff_answer_does_not_win_it(offered, qa, asker, moderator):
    question, _answer = qa
    own = make_answer(question=question, author=asker)
    official = make_answer(question=question, author=moderator)

    accept(own, asker)
    accept(official, asker)

    assert not entries(asker, kind=EntryKind.BOUNTY_WON).exists()
    assert not won(moderator).exists()
    offered.refresh_from_db()
    assert offered.state == "open"


def test_unaccepting_takes_the_bounty_back_and_reopens_it(offered, qa, asker, helper):
    question, answer = qa
    accept(answer, asker)

    services.answer_unaccept(question=question, by=asker)

    award = won(helper).get()
    assert award.reversed_by.amount == -100
    offered.refresh_from_db()
    assert offered.state == "open"
    assert balance(helper) == 0
    assert_ledger_ok(asker, helper)


def test_unaccepting_after_the_deadline_returns_the_bounty_at_once(offered, qa, asker, helper):
    question, answer = qa
    accept(answer, asker)
    deadline_passes(offered)

    services.answer_unaccept(question=question, by=asker)

    offered.refresh_from_db()
    assert offered.state == "refunded"
    refund = entries(asker, kind=EntryKind.BOUNTY_REFUND).get()
    assert (refund.amount, refund.key) == (100, f"bounty-refund:{offered.pk}")
    assert balance(asker) == 200 and balance(helper) == 0
    assert_ledger_ok(asker, helper)


def test_accept_unaccept_accept_leaves_exactly_one_bounty_won(offered, qa, asker, helper):
    question, answer = qa

    for _ in range(3):
        accept(answer, asker)
        services.answer_unaccept(question=question, by=asker)
    accept(answer, asker)

    assert won(helper).filter(reversed_by__isnull=True).count() == 1
    assert balance(helper) == 150
    assert balance(asker) == 105
    assert_ledger_ok(asker, helper)


def test_switching_the_accepted_answer_moves_the_bounty(offered, qa, asker, helper):
    question, first = qa
    other = veteran(display_name="Other")
    second = make_answer(question=question, author=other)
    accept(first, asker)

    accept(second, asker)

    assert (balance(helper), balance(other)) == (0, 150)
    assert won(other).get().bounty == offered
    assert_ledger_ok(asker, helper, other)


def test_open_bounties_go_back_after_the_deadline(offered, asker):
    deadline_passes(offered)

    assert tasks.bounty_refund_due() == 1
    assert tasks.bounty_refund_due() == 0

    offered.refresh_from_db()
    assert offered.state == "refunded"
    assert entries(asker, kind=EntryKind.BOUNTY_REFUND).count() == 1
    assert balance(asker) == 200 and available(asker) == 200
    assert_ledger_ok(asker)


def test_the_sweep_leaves_bounties_before_their_deadline(offered):
    assert tasks.bounty_refund_due() == 0

    offered.refresh_from_db()
    assert offered.state == "open"


def test_accepting_after_the_deadline_returns_the_bounty_instead(offered, qa, asker, helper):
    _question, answer = qa
    deadline_passes(offered)

    accept(answer, asker)

    assert not won(helper).exists()
    offered.refresh_from_db()
    assert offered.state == "refunded"
    assert balance(asker) == 205


# --- Pages ------------------------------------------------------------------


def offer_url(question) -> str:
    return reverse("rewards_bounty:offer", args=[question.pk])


def test_the_asker_offers_a_bounty_on_the_page(client, qa, asker):
    question, _answer = qa
    client.force_login(asker)

    page = client.get(offer_url(question))
    assert "You have 200 points available." in page.content.decode()

    response = client.post(offer_url(question), {"points": "60", "days": "3"})

    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert Bounty.objects.get().points == 60


def test_bad_input_on_the_page_shows_errors_and_changes_nothing(client, qa, asker):
    question, _answer = qa
    client.force_login(asker)

    response = client.post(offer_url(question), {"points": "5000", "days": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Bounty.objects.exists()
    assert balance(asker) == 200


def test_more_than_available_on_the_page_is_a_form_error(client, qa, asker):
    question, _answer = qa
    client.force_login(asker)

    response = client.post(offer_url(question), {"points": "500", "days": "7"})

    assert "You have 200 points available." in str(response.context["form"].errors["points"])
    assert not Bounty.objects.exists()


def test_others_get_403_on_the_offer_page(client, qa, helper):
    question, _answer = qa
    client.force_login(helper)

    assert client.get(offer_url(question)).status_code == 403
    assert client.post(offer_url(question), {"points": "50", "days": "7"}).status_code == 403
    assert not Bounty.objects.exists()


def render_box(question, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load bounties %}{% bounty_box question %}")
    return template.render(Context({"request": request, "question": question}))


def test_the_bounty_box_shows_an_open_bounty_to_everyone_in_one_query(
    offered, qa, helper, django_assert_num_queries
):
    question, _answer = qa

    with django_assert_num_queries(1):
        html = render_box(question, helper)

    assert "Bounty: 100 points" in html


def test_the_bounty_box_offers_a_bounty_to_the_asker_of_an_open_question_only(qa, asker, helper):
    question, _answer = qa

    assert offer_url(question) in render_box(question, asker)
    assert offer_url(question) not in render_box(question, helper)
