"""/staff/settlements/: support leads and community managers see settlements by state,
retry or cancel failed ones, and download a month's credits for the billing team."""

import csv
import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from rewards.models import EntryKind, LedgerEntry, Settlement
from rewards.settlement.services import settlement_run
from tests.factories import with_totp
from tests.rewards.settlement_helpers import (
    account,
    assert_ledger_ok,
    economy,
    member_with,
    settlements,
)

pytestmark = pytest.mark.django_db

State = Settlement.State
LIST = reverse("rewards_settlement:list")
EXPORT = reverse("rewards_settlement:export")
_runs = itertools.count()


def settled(*points: int) -> list[Settlement]:
    """One settlement per amount of points, written by a run and not sent yet."""
    users = [member_with(p) for p in points]
    settlement_run(key=f"run-{next(_runs)}", enqueue=False)
    return [settlements(user).get() for user in users]


def fail_for_good(settlement: Settlement) -> Settlement:
    Settlement.objects.filter(pk=settlement.pk).update(
        state=State.FAILED,
        attempts=6,
        next_attempt_at=None,
        last_error="HTTP 422: customer account closed",
    )
    settlement.refresh_from_db()
    return settlement


def test_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_members_and_moderators_are_not_allowed(client, member, moderator):
    for someone in (member, moderator):
        client.force_login(someone)

        response = client.get(LIST)

        assert response.status_code == 403
        assert "Only support leads and community managers" in response.content.decode()


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    lead = User.objects.create_superuser("root@example.com", "pw-for-tests")
    client.force_login(lead)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_support_leads_see_first_what_needs_them(lead_client):
    stuck, done = settled(1000, 700)
    fail_for_good(stuck)

    page = lead_client.get(LIST).content.decode()

    assert f'id="settlement-{stuck.pk}"' in page
    assert f'id="settlement-{done.pk}"' not in page
    assert "Needs you (1)" in page
    assert "Pending (1)" in page
    assert "HTTP 422: customer account closed" in page
    assert reverse("rewards_settlement:retry", args=[stuck.pk]) in page
    every = lead_client.get(LIST, {"state": "all"}).content.decode()
    assert f'id="settlement-{done.pk}"' in every
    assert "All (2)" in every


def test_failed_settlements_that_need_staff_come_before_those_retried_on_their_own(lead_client):
    stuck, retrying = settled(1000, 700)
    fail_for_good(stuck)
    Settlement.objects.filter(pk=retrying.pk).update(
        state=State.FAILED, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=10)
    )

    page = lead_client.get(LIST, {"state": "failed"}).content.decode()

    assert page.index(f"settlement-{stuck.pk}") < page.index(f"settlement-{retrying.pk}")
    assert "retried on its own at" in page


def test_an_unknown_state_shows_what_needs_staff(lead_client):
    response = lead_client.get(LIST, {"state": "<script>", "page": "junk"})

    assert response.status_code == 200
    assert "Nothing needs you" in response.content.decode()


def test_the_list_takes_the_same_queries_for_a_few_or_many_settlements(lead_client):
    settled(1000, 1000)
    lead_client.get(LIST, {"state": "all"})  # session and language warm-up
    with CaptureQueriesContext(connection) as few:
        lead_client.get(LIST, {"state": "all"})
    settled(*[1000] * 20)

    with CaptureQueriesContext(connection) as many:
        lead_client.get(LIST, {"state": "all"})

    assert len(many) == len(few)


def test_amounts_are_shown_in_the_readers_language(lead_client):
    economy(monthly_cap=200_000)
    settled(123_456)

    page = lead_client.get(LIST, {"state": "all"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "EUR 1.234,56" in page


def test_retrying_from_the_page_sends_the_credit_again(
    lead_client, django_capture_on_commit_callbacks
):
    stuck = fail_for_good(settled(1000)[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            reverse("rewards_settlement:retry", args=[stuck.pk]), {"state": "failed"}
        )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?state=failed"
    stuck.refresh_from_db()
    assert (stuck.state, stuck.attempts) == (State.CONFIRMED, 1)


def test_retrying_a_settlement_that_did_not_fail_is_refused_with_a_message(lead_client):
    pending = settled(1000)[0]

    response = lead_client.post(reverse("rewards_settlement:retry", args=[pending.pk]), follow=True)

    assert "Only a failed settlement can be retried." in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_retry_and_cancel_answer_only_to_staff_and_only_by_post(client, lead_client, member):
    stuck = fail_for_good(settled(1000)[0])
    retry = reverse("rewards_settlement:retry", args=[stuck.pk])
    cancel = reverse("rewards_settlement:cancel", args=[stuck.pk])

    assert lead_client.get(retry).status_code == 405
    client.force_login(member)
    assert client.post(retry).status_code == 403
    assert client.post(cancel).status_code == 403
    assert client.post(reverse("rewards_settlement:retry", args=[999_999])).status_code == 403
    stuck.refresh_from_db()
    assert stuck.state == State.FAILED


def test_cancelling_asks_first_then_gives_the_points_back(lead_client):
    stuck = fail_for_good(settled(1000)[0])
    cancel = reverse("rewards_settlement:cancel", args=[stuck.pk])

    confirm = lead_client.get(cancel, {"state": "needs_staff"}).content.decode()
    assert "the points go back to the member" in confirm
    stuck.refresh_from_db()
    assert stuck.state == State.FAILED

    response = lead_client.post(cancel, {"state": "needs_staff"})

    assert response["Location"] == f"{LIST}?state=needs_staff"
    stuck.refresh_from_db()
    assert stuck.state == State.CANCELLED
    assert LedgerEntry.objects.filter(kind=EntryKind.SETTLEMENT_CANCEL).count() == 1
    assert account(stuck.account.user).balance == 1000
    assert_ledger_ok()


def test_the_cancel_page_of_a_settlement_that_did_not_fail_goes_back_to_the_list(lead_client):
    pending = settled(1000)[0]

    response = lead_client.get(reverse("rewards_settlement:cancel", args=[pending.pk]))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_a_months_credits_download_as_csv(lead_client):
    this_month, last_month = settled(1250, 800)
    Settlement.objects.filter(pk=last_month.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    Settlement.objects.filter(pk=this_month.pk).update(gateway_reference="=HYPERLINK(1)")
    month = f"{timezone.localdate():%Y-%m}"

    response = lead_client.get(EXPORT, {"month": month})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="settlements-{month}.csv"'
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows == [
        [
            "settlement_date",
            "key",
            "customer_number",
            "points",
            "amount_eur",
            "state",
            "gateway_reference",
        ],
        [
            timezone.localdate().isoformat(),
            this_month.key,
            this_month.customer_number,
            "1250",
            "12.50",
            "pending",
            "'=HYPERLINK(1)",
        ],
    ]


@pytest.mark.parametrize("month", ["", "2026-13", "November", "1999-01", "9999-12"])
def test_a_bad_month_is_a_clear_error(lead_client, month):
    response = lead_client.get(EXPORT, {"month": month})

    assert response.status_code == 400
    assert "Choose a month, for example" in response.content.decode()


def test_members_cannot_download_credits(client, member):
    client.force_login(member)

    assert client.get(EXPORT, {"month": "2026-11"}).status_code == 403


def test_the_settlement_admin_shows_settlements_and_changes_nothing(client):
    settled(1000)
    client.force_login(with_totp(User.objects.create_superuser("root@example.com", "pw")))

    assert client.get(reverse("admin:rewards_settlement_changelist")).status_code == 200
    assert client.get(reverse("admin:rewards_settlementrun_changelist")).status_code == 200
    assert client.get(reverse("admin:rewards_settlement_add")).status_code == 403
