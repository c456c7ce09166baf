"""The member's "My points" page: balance, payout estimate, rank progress and every
ledger entry with its cause and state."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from community import services
from core.formatting import money
from rewards import selectors
from rewards.ledger import services as ledger
from rewards.models import EconomySettings, EntryKind, FraudHold, LedgerEntry
from tests.factories import link_verified, make_answer, make_question
from tests.rewards.recognition_helpers import (
    earn,
    veteran,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes")]

POINTS = reverse("rewards:points")
BERLIN = ZoneInfo("Europe/Berlin")
PAST = timezone.now() - timedelta(days=30)
FUTURE = timezone.now() + timedelta(days=14)


@pytest.fixture
def helper(forum):
    return veteran(display_name="Hilde Helper")


@pytest.fixture
def helper_client(client, helper):
    client.force_login(helper)
    return client


@pytest.fixture
def accepted(helper, forum):
    """An answer by the helper that got kudos and was accepted by its asker."""
    asker = veteran(display_name="Asker")
    question = make_question(author=asker, forum=forum, title="Router blinks red")
    question.created_at = timezone.now() - timedelta(days=1)  # no first-answer bonus
    question.save(update_fields=["created_at"])
    answer = make_answer(question=question, author=helper)
    services.vote_cast(user=veteran(), post=answer)
    services.answer_accept(answer=answer, by=asker)
    return answer


def _settle(user, points: int) -> LedgerEntry:
    return earn(user, -points, kind=EntryKind.SETTLEMENT)


def test_the_page_needs_a_login(client):
    response = client.get(POINTS)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_awards_from_kudos_and_an_accepted_answer_show_as_held(helper, accepted):
    summary = selectors.points_summary(helper)

    assert (summary.balance, summary.available, summary.held) == (60, 0, 60)
    assert summary.lifetime == 60
    assert summary.paid_out == 0


def test_the_ledger_links_each_entry_to_its_post_and_says_until_when_it_is_held(
    helper_client, accepted
):
    html = helper_client.get(POINTS).content.decode()

    assert (
        html.count(f'<a href="{accepted.get_absolute_url()}">Answer to “Router blinks red”</a>')
        == 2
    )
    assert "Award: Answer accepted" in html
    assert "Award: Kudos received" in html
    until = accepted.created_at + timedelta(days=EconomySettings.load().holding_days)
    assert f"Held until {date_format(timezone.localtime(until), 'DATE_FORMAT')}" in html


def test_points_become_available_after_the_holding_period(helper):
    earn(helper, 70, available_at=PAST)
    earn(helper, 30, available_at=FUTURE)

    summary = selectors.points_summary(helper)

    assert (summary.available, summary.held) == (70, 30)


def test_points_under_fraud_review_are_held_and_marked(helper, helper_client):
    entry = earn(helper, 40, available_at=PAST)
    FraudHold.objects.create(entry=entry, reason=FraudHold.Reason.VOTE_RING)

    summary = selectors.points_summary(helper)
    html = helper_client.get(POINTS).content.decode()

    assert (summary.available, summary.held, summary.held_for_review) == (0, 40, 40)
    assert "Held for review" in html
    assert "40 of them held for review" in html


def test_a_reversed_award_is_marked_and_its_reversal_listed(helper, helper_client):
    entry = earn(helper, 10, available_at=PAST)
    with ledger.transaction.atomic():
        ledger.entry_reverse(entry=entry, note="Removed as spam")

    html = helper_client.get(POINTS).content.decode()

    assert "Reversed" in html
    assert "Reversal: Kudos received" in html
    assert "Removed as spam" in html
    assert selectors.points_summary(helper).balance == 0


def test_paid_out_is_the_settlement_debits_net_of_cancelled_ones(helper):
    earn(helper, 2_000, available_at=PAST)
    _settle(helper, 600)
    _settle(helper, 500)
    earn(helper, 500, kind=EntryKind.SETTLEMENT_CANCEL)

    summary = selectors.points_summary(helper)

    assert summary.paid_out == 600
    assert summary.paid_out_euros == Decimal("6.00")
    assert (summary.balance, summary.available) == (1_400, 1_400)


def test_the_next_payout_needs_a_verified_customer_account(helper, helper_client):
    earn(helper, 800, available_at=PAST)

    summary = selectors.points_summary(helper)
    html = helper_client.get(POINTS).content.decode()

    assert (summary.payout_points, summary.payout_blocked) == (0, "no_verified_link")
    assert reverse("customer_link:page") in html


def test_the_next_payout_pays_the_available_points_in_euros(helper, helper_client):
    link_verified(helper)
    earn(helper, 750, available_at=PAST)
    earn(helper, 100, available_at=FUTURE)

    summary = selectors.points_summary(helper)
    html = helper_client.get(POINTS).content.decode()

    assert (summary.payout_points, summary.payout_euros) == (750, Decimal("7.50"))
    assert "<strong>EUR 7.50</strong> (750 points)" in html


def test_no_payout_below_the_minimum(helper, helper_client):
    link_verified(helper)
    earn(helper, 499, available_at=PAST)

    summary = selectors.points_summary(helper)

    assert (summary.payout_points, summary.payout_blocked) == (0, "below_minimum")
    assert "Payouts start at 500 available points." in helper_client.get(POINTS).content.decode()


def test_the_monthly_cap_limits_the_next_payout(helper):
    EconomySettings.objects.filter(pk=1).update(monthly_cap=1_000)
    link_verified(helper)
    earn(helper, 5_000, available_at=PAST)

    summary = selectors.points_summary(helper)

    assert summary.payout_points == 1_000


def test_the_next_run_is_today_before_the_settlement_hour_and_tomorrow_after_it():
    early = datetime(2025, 3, 10, 2, 59, tzinfo=BERLIN)
    late = datetime(2025, 3, 10, 3, 0, tzinfo=BERLIN)

    with override_settings(SETTLEMENT_HOUR=3):
        assert selectors.next_settlement_run(early) == datetime(2025, 3, 10, 3, tzinfo=BERLIN)
        assert selectors.next_settlement_run(late) == datetime(2025, 3, 11, 3, tzinfo=BERLIN)


def test_the_settlement_hour_is_configurable():
    with override_settings(SETTLEMENT_HOUR=22):
        run = selectors.next_settlement_run(datetime(2025, 3, 10, 12, tzinfo=BERLIN))

    assert run == datetime(2025, 3, 10, 22, tzinfo=BERLIN)


def test_money_is_formatted_per_language():
    assert money(Decimal("1234.5")) == "EUR 1,234.50"
    with translation.override("de"):
        assert money(Decimal("1.5")) == "EUR 1,50"
        assert money(Decimal("1234.5")) == "EUR 1.234,50"


def test_the_german_page_shows_euros_the_german_way(helper, helper_client):
    earn(helper, 150, available_at=PAST)

    html = helper_client.get(POINTS, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "EUR 1,50" in html
    assert "EUR 1.50" not in html


def test_the_rank_progress_bar_shows_the_way_to_the_next_rank(helper, helper_client):
    earn(helper, 40)

    html = helper_client.get(POINTS).content.decode()

    assert "60 points to Helper" in html
    assert 'max="100" value="40"' in html


def test_the_ledger_is_paged_newest_first(helper, helper_client):
    for n in range(1, 31):
        earn(helper, n)

    first = helper_client.get(POINTS).content.decode()
    second = helper_client.get(POINTS, {"page": 2}).content.decode()

    assert ">+30</td>" in first
    assert ">+5</td>" not in first
    assert ">+5</td>" in second
    assert "Page 2 of 2" in second
    assert helper_client.get(POINTS, {"page": "abc"}).status_code == 200


def test_a_member_sees_only_their_own_points(client, helper, accepted, member):
    client.force_login(member)

    html = client.get(POINTS, {"user": helper.pk}).content.decode()

    assert "Router blinks red" not in html
    assert "No points yet." in html


def test_the_page_costs_the_same_queries_with_3_or_25_entries(helper, helper_client, forum):
    question = make_question(forum=forum)
    for _n in range(3):
        earn(helper, 5, forum=forum)
    helper_client.get(POINTS)

    with CaptureQueriesContext(connection) as few:
        helper_client.get(POINTS)
    for _n in range(22):
        entry = earn(helper, 5, forum=forum)
        LedgerEntry.objects.filter(pk=entry.pk).update(question=question)
    FraudHold.objects.create(entry=entry, reason=FraudHold.Reason.HOUSEHOLD)

    with CaptureQueriesContext(connection) as many:
        helper_client.get(POINTS)

    assert len(many) == len(few)
