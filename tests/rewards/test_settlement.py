"""Settlement: available points become credits on verified customer accounts, exactly once
in effect whatever the billing system answers, and the ledger stays the sum of its entries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import CustomerAccountLink
from billing.gateway import CreditResult, Outcome
from billing.models import LocalCredit
from core.errors import Conflict
from rewards.ledger import services as ledger
from rewards.models import (
    EntryKind,
    FraudHold,
    LedgerEntry,
    Settlement,
    SettlementRun,
)
from rewards.settlement import services as settlement
from rewards.settlement.services import (
    MAX_ATTEMPTS,
    settlement_cancel,
    settlement_retry,
    settlement_run,
    settlements_send,
    settlements_sweep,
)
from rewards.tasks import settlement as tasks
from tests.rewards.settlement_helpers import (
    account,
    assert_ledger_ok,
    earn,
    economy,
    member_with,
    settlements,
    time_passes,
)

pytestmark = pytest.mark.django_db

State = Settlement.State


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """settlement_run, with the sending it schedules after commit."""

    def run(key: str | None = None) -> SettlementRun:
        with django_capture_on_commit_callbacks(execute=True):
            return settlement_run(key=key)

    return run


@pytest.fixture
def staff(support_lead):
    return support_lead


# --- Who is settled, and how much ---------------------------------------------------------


def test_available_points_become_a_confirmed_credit_and_a_debit(settle):
    member = member_with(1234)

    run = settle("2026-11-24")

    [paid] = settlements(member)
    assert (paid.points, paid.amount_cents, paid.currency) == (1234, 1234, "EUR")
    assert paid.key == f"settlement:2026-11-24:{account(member).pk}"
    assert paid.customer_number == CustomerAccountLink.objects.get(user=member).customer_number
    assert paid.state == State.CONFIRMED
    assert paid.gateway_reference.startswith("local-")
    credit = LocalCredit.objects.get()
    assert (credit.key, credit.amount_cents) == (paid.key, 1234)
    debit = LedgerEntry.objects.get(kind=EntryKind.SETTLEMENT)
    assert (debit.amount, debit.key, debit.settlement) == (-1234, f"settlement:{paid.key}", paid)
    assert account(member).balance == 0
    assert (run.settlement_count, run.points_total) == (1, 1234)
    assert run.finished_at is not None
    assert_ledger_ok()


def test_only_points_that_make_whole_cents_are_settled(settle):
    economy(points_per_euro=150)  # 3 points make 2 cents
    member = member_with(1000)

    settle()

    [paid] = settlements(member)
    assert (paid.points, paid.amount_cents) == (999, 666)
    assert account(member).balance == 1
    assert_ledger_ok()


def test_points_still_in_their_holding_period_are_not_settled(settle):
    member = member_with(600)
    earn(member, 5000, available_at=timezone.now() + timedelta(days=3))

    settle()

    assert settlements(member).get().points == 600
    assert account(member).balance == 5000


def test_points_under_an_open_fraud_hold_are_not_settled(settle):
    member = member_with(700)
    held = earn(member, 5000)
    FraudHold.objects.create(entry=held, reason=FraudHold.Reason.VOTE_RING)

    settle()

    assert settlements(member).get().points == 700


def test_members_without_a_verified_customer_account_are_not_settled(settle):
    member_with(1000, linked=False)  # no link at all
    pending = member_with(1000, linked=False)
    CustomerAccountLink.objects.create(user=pending, customer_number="PENDING01")
    revoked = member_with(1000)
    CustomerAccountLink.objects.filter(user=revoked).update(state=CustomerAccountLink.State.REVOKED)

    settle()

    assert not Settlement.objects.exists()
    assert_ledger_ok()


def test_deactivated_members_are_not_settled(settle):
    member = member_with(1000)
    type(member).objects.filter(pk=member.pk).update(is_active=False)

    settle()

    assert not Settlement.objects.exists()


def test_points_below_the_minimum_payout_are_not_settled(settle):
    economy(minimum_payout=500)
    below = member_with(499)
    at = member_with(500)

    settle()

    assert not settlements(below).exists()
    assert settlements(at).get().points == 500


def test_the_monthly_cap_limits_what_a_member_is_paid_in_a_month(settle):
    economy(monthly_cap=1000, minimum_payout=100)
    member = member_with(1500)

    settle("first")
    settle("second")  # later in the same month: the cap is used up

    assert [s.points for s in settlements(member)] == [1000]
    assert account(member).balance == 500


def test_a_cancelled_settlement_does_not_count_towards_the_monthly_cap(failed, staff, settle):
    economy(monthly_cap=1000)
    settlement_cancel(settlement=failed, by=staff)

    settle("second")

    assert [(s.points, s.state) for s in settlements()] == [
        (1000, State.CANCELLED),
        (1000, State.CONFIRMED),
    ]


def test_points_owed_back_after_a_payout_are_covered_before_anything_is_settled(settle):
    economy(minimum_payout=500)
    member = member_with()
    award = earn(member, 1000)
    settle("first")
    with transaction.atomic():
        ledger.entry_reverse(entry=award, note="spam")  # after the payout: owed back
    earn(member, 1200)

    settle("second")  # 1,200 earned - 1,000 owed = 200: below the minimum

    assert account(member).balance == 200
    assert settlements(member).count() == 1
    earn(member, 400)
    settle("third")
    assert settlements(member).last().points == 600
    assert account(member).balance == 0
    assert_ledger_ok()


def test_rerunning_a_run_key_settles_nothing_more(settle):
    member = member_with(1000)
    first = settle("2026-11-24")
    earn(member, 800)

    again = settle("2026-11-24")

    assert again == first
    assert settlements(member).count() == 1
    assert account(member).balance == 800


def test_a_second_run_the_same_day_never_pays_the_same_points_twice(settle):
    member = member_with(1000)

    settle("morning")
    settle("evening")

    assert settlements(member).count() == 1
    assert LocalCredit.objects.count() == 1


def test_a_run_key_that_is_too_long_is_refused(settle):
    member_with(1000)

    with pytest.raises(ValidationError):
        settle("x" * 41)

    assert not SettlementRun.objects.exists()


def test_a_run_settles_many_members_with_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    members = [member_with(1000) for _ in range(3)]
    with django_assert_max_num_queries(11):
        settlement_run(key="few", enqueue=False)
    members += [member_with(1000) for _ in range(20)]

    with django_assert_max_num_queries(11):
        run = settlement_run(key="many", enqueue=False)

    assert run.settlement_count == 20
    assert_ledger_ok()


# --- Sending, against a billing system that misbehaves in every way ------------------------


def test_an_accepted_credit_is_confirmed_and_applied_once(settle, billing_server):
    member = member_with(1250)

    settle()

    paid = settlements(member).get()
    assert paid.state == State.CONFIRMED
    assert paid.gateway_reference == "fake-1"
    assert billing_server.applied[paid.key]["amount"] == "12.50"
    assert billing_server.requests[0]["headers"]["Idempotency-Key"] == paid.key


def test_an_unclear_failure_is_retried_with_backoff_and_left_to_staff_after_the_last_attempt(
    settle, billing_server
):
    billing_server.mode = "fail"
    member = member_with(1000)
    settle()
    paid = settlements(member).get()
    assert (paid.state, paid.attempts, paid.last_error) == (State.SENT, 1, "HTTP 500")
    waits = [paid.next_attempt_at - timezone.now()]

    for _attempt in range(2, MAX_ATTEMPTS + 1):
        time_passes()
        settlements_sweep()
        paid.refresh_from_db()
        if paid.next_attempt_at:
            waits.append(paid.next_attempt_at - timezone.now())

    assert (paid.state, paid.attempts, paid.next_attempt_at) == (State.FAILED, MAX_ATTEMPTS, None)
    assert waits == sorted(waits)
    assert timedelta(minutes=9) < waits[0] < timedelta(minutes=11)
    assert len(billing_server.requests) == MAX_ATTEMPTS
    assert billing_server.applied == {}
    time_passes()
    assert settlements_sweep() == 0  # staff decide now


def test_a_rejected_credit_fails_is_retried_and_then_left_to_staff(settle, billing_server):
    billing_server.mode = "reject"
    member = member_with(1000)

    settle()

    paid = settlements(member).get()
    assert paid.state == State.FAILED
    assert paid.last_error == "HTTP 422: customer account closed"
    assert paid.next_attempt_at > timezone.now()
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        time_passes()
        settlements_sweep()
    paid.refresh_from_db()
    assert (paid.state, paid.attempts, paid.next_attempt_at) == (State.FAILED, MAX_ATTEMPTS, None)


def test_a_timeout_after_the_billing_system_applied_the_credit_never_credits_twice(
    settle, billing_server
):
    billing_server.mode = "timeout"
    member = member_with(1000)
    settle()
    paid = settlements(member).get()
    assert paid.state == State.SENT
    assert paid.last_error == "no answer in time"
    assert list(billing_server.applied) == [paid.key]

    billing_server.mode = "accept"
    time_passes()
    settlements_sweep()

    paid.refresh_from_db()
    assert (paid.state, paid.attempts, paid.gateway_reference) == (State.CONFIRMED, 2, "fake-1")
    assert len(billing_server.applied) == 1
    sent_keys = [r["headers"]["Idempotency-Key"] for r in billing_server.requests]
    assert sent_keys == [paid.key, paid.key]


def test_a_garbage_answer_loses_nothing_and_the_resend_confirms_it(settle, billing_server):
    billing_server.mode = "garbage"
    member = member_with(1000)
    settle()
    paid = settlements(member).get()
    assert (paid.state, paid.last_error) == (State.SENT, "HTTP 200: bad answer")

    billing_server.mode = "accept"
    time_passes()
    settlements_sweep()

    paid.refresh_from_db()
    assert paid.state == State.CONFIRMED
    assert len(billing_server.applied) == 1
    assert account(member).balance == 0


@pytest.mark.parametrize("mode", ["accept", "twice"])
def test_a_worker_crash_after_sending_is_finished_by_the_sweep_without_a_second_credit(
    settle, billing_server, monkeypatch, mode
):
    """The gateway call returns, then the worker dies before it records the answers."""
    billing_server.mode = mode
    member = member_with(1000)

    def crash(*args, **kwargs):
        raise SystemExit("worker killed")

    settlement_run(key="crash", enqueue=False)
    monkeypatch.setattr(settlement, "_record", crash)
    with pytest.raises(SystemExit):
        settlements_send(ids=list(Settlement.objects.values_list("pk", flat=True)))
    monkeypatch.undo()
    paid = settlements(member).get()
    assert paid.state == State.SENT
    assert len(billing_server.applied) == 1

    time_passes()
    settlements_sweep()

    paid.refresh_from_db()
    assert (paid.state, paid.gateway_reference) == (State.CONFIRMED, "fake-1")
    assert len(billing_server.applied) == 1
    assert len(billing_server.requests) == 2


class _Nonsense:
    """A gateway breaking its contract: `answer` makes its reply from the credits."""

    def __init__(self, answer):
        self.answer = answer

    def send_credits(self, credits):
        return self.answer(credits)


def _explode(credits):
    raise RuntimeError("gateway exploded")


@pytest.mark.parametrize(
    "answer",
    [
        _explode,
        lambda credits: None,
        lambda credits: ["confirmed" for _ in credits],
        lambda credits: [],
        lambda credits: [CreditResult(key="someone-else", outcome=Outcome.CONFIRMED)],
        lambda credits: [CreditResult(key=c.key, outcome="applied, probably") for c in credits],
        lambda credits: [
            CreditResult(key=c.key, outcome=Outcome.CONFIRMED, reference=None) for c in credits
        ],
    ],
    ids=["raises", "none", "strings", "too-few", "other-key", "bad-outcome", "bad-reference"],
)
def test_a_gateway_answering_nonsense_loses_nothing(settle, monkeypatch, answer):
    member = member_with(1000)
    monkeypatch.setattr(settlement, "get_gateway", lambda: _Nonsense(answer))

    settle()

    paid = settlements(member).get()
    assert (paid.state, paid.attempts) == (State.SENT, 1)
    assert paid.next_attempt_at > timezone.now()
    monkeypatch.undo()
    time_passes()
    settlements_sweep()
    paid.refresh_from_db()
    assert paid.state == State.CONFIRMED
    assert LocalCredit.objects.count() == 1
    assert_ledger_ok()


def test_settlements_whose_send_task_could_not_be_enqueued_are_sent_by_the_sweep(
    settle, monkeypatch, caplog
):
    member = member_with(1000)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.send, "delay", broker_down)
    run = settle()
    assert run.settlement_count == 1
    assert settlements(member).get().state == State.PENDING
    assert "could not enqueue" in caplog.text
    assert settlements_sweep() == 0  # not lost yet: its task may still be queued
    monkeypatch.undo()

    time_passes()
    assert settlements_sweep() == 1

    assert settlements(member).get().state == State.CONFIRMED


def test_sending_a_settlement_that_is_not_due_does_nothing(settle):
    member = member_with(1000)
    settle()
    paid = settlements(member).get()

    assert settlements_send(ids=[paid.pk]) == {}
    tasks.send([paid.pk])  # a task delivered twice

    assert LocalCredit.objects.count() == 1
    paid.refresh_from_db()
    assert paid.attempts == 1


def test_the_beat_task_settles_today_and_the_sweep_task_runs(django_capture_on_commit_callbacks):
    member = member_with(1000)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.settle()
    tasks.sweep()

    assert SettlementRun.objects.get().key == timezone.localdate().isoformat()
    assert settlements(member).get().state == State.CONFIRMED


# --- Staff ---------------------------------------------------------------------------------


@pytest.fixture
def failed(settle, billing_server):
    billing_server.mode = "reject"
    member = member_with(1000)
    settle()
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        time_passes()
        settlements_sweep()
    billing_server.mode = "accept"
    return settlements(member).get()


def test_staff_retry_a_failed_settlement_with_the_same_key(
    failed, staff, billing_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        settlement_retry(settlement=failed, by=staff)

    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.CONFIRMED, 1)
    assert list(billing_server.applied) == [failed.key]


def test_cancelling_a_failed_settlement_gives_the_points_back(failed, staff):
    member = failed.account.user

    settlement_cancel(settlement=failed, by=staff)

    failed.refresh_from_db()
    assert (failed.state, failed.cancelled_by) == (State.CANCELLED, staff)
    back = LedgerEntry.objects.get(kind=EntryKind.SETTLEMENT_CANCEL)
    assert (back.amount, back.key, back.settlement) == (
        1000,
        f"settlement-cancel:{failed.pk}",
        failed,
    )
    assert account(member).balance == 1000
    assert_ledger_ok()


def test_cancelled_points_are_settled_again_by_a_later_run(failed, staff, settle):
    settlement_cancel(settlement=failed, by=staff)

    settle("later")

    assert [s.state for s in settlements()] == [State.CANCELLED, State.CONFIRMED]
    assert_ledger_ok()


@pytest.mark.parametrize("action", [settlement_retry, settlement_cancel])
def test_only_failed_settlements_can_be_retried_or_cancelled(settle, staff, action):
    member = member_with(1000)
    settle()

    with pytest.raises(Conflict):
        action(settlement=settlements(member).get(), by=staff)

    assert settlements(member).get().state == State.CONFIRMED
    assert not LedgerEntry.objects.filter(kind=EntryKind.SETTLEMENT_CANCEL).exists()


def test_a_settlement_is_cancelled_once(failed, staff):
    settlement_cancel(settlement=failed, by=staff)

    with pytest.raises(Conflict):
        settlement_cancel(settlement=failed, by=staff)

    assert LedgerEntry.objects.filter(kind=EntryKind.SETTLEMENT_CANCEL).count() == 1


@pytest.mark.parametrize("action", [settlement_retry, settlement_cancel])
def test_members_and_moderators_cannot_retry_or_cancel(failed, member, moderator, action):
    for someone in (member, moderator):
        with pytest.raises(PermissionDenied):
            action(settlement=failed, by=someone)

    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_a_late_confirmation_of_a_failed_settlement_confirms_it(failed):
    result = CreditResult(key=failed.key, outcome=Outcome.CONFIRMED, reference="late-1")

    settlement._record([failed], {failed.key: result})

    failed.refresh_from_db()
    assert (failed.state, failed.gateway_reference) == (State.CONFIRMED, "late-1")
