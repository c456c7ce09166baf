"""Settlement: available points become credits on members' verified customer accounts.

`settlement_run` writes a run's settlements, their ledger debits and the new balances in
one transaction, set-based; `settlements_send` hands settlements to the billing gateway
with their keys as idempotency keys; `settlements_sweep` finishes whatever a lost task,
a crash or an unknown answer left. The billing system applies a key once, so resending
with the same key is always safe: each settlement is credited exactly once in effect.

    pending -> sent -> confirmed
               sent -> sent (no clear answer: resent later) -> failed after the last attempt
               sent -> failed (rejected: retried later, left to staff after the last attempt)
    failed -> pending (staff retry) | cancelled (staff cancel: the points come back)
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from billing.gateway import Credit, CreditResult, Outcome, get_gateway
from core.errors import Conflict
from notifications import events
from rewards.ledger import services as ledger
from rewards.models import (
    EconomySettings,
    EntryKind,
    PointsAccount,
    Settlement,
    SettlementRun,
)
from rewards.settlement import sql
from webhooks import events as webhooks

log = logging.getLogger(__name__)

State = Settlement.State
# Credits per send task: the webhook gateway posts them one by one, so that even at
# BILLING_TIMEOUT (10 s) each a task ends within CELERY_TASK_SOFT_TIME_LIMIT (300 s).
SEND_CHUNK = 20
MAX_ATTEMPTS = 6
# The wait after attempt n before attempt n + 1. The first wait is longer than a task may
# run, so the sweep never resends what a worker is still sending.
BACKOFF = (
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=24),
)
# A pending settlement this old lost its send task (a broker error, a lost message).
LOST_AFTER = timedelta(minutes=15)
SWEEP_LIMIT = 5_000
OUTCOMES = frozenset(Outcome)
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for NOWAIT


class SettlementBusy(Exception):
    """Another settlement run holds the lock; this one changed nothing."""

    def __init__(self) -> None:
        self.message = _("Another settlement run is in progress. Try again when it has finished.")
        super().__init__(self.message)


# --- The run ---------------------------------------------------------------------------


def settlement_run(*, key: str | None = None, enqueue: bool = True) -> SettlementRun:
    """Settles every member whose payable points reach the minimum payout, in one
    transaction and a constant number of statements. `key` (default: today's local date)
    makes the run idempotent: a key already run returns that run and changes nothing.

    Locks the economy settings row (NOWAIT: a second concurrent run raises SettlementBusy),
    then the settled members' accounts in pk order. With `enqueue`, the settlements are
    handed to send tasks after commit; a broker error is logged and the sweep sends them.
    """
    key = key or timezone.localdate().isoformat()
    if not 0 < len(key) <= cast(int, SettlementRun._meta.get_field("key").max_length):
        raise ValidationError(_("A run key has 1 to 40 characters."))
    EconomySettings.load()  # the row the lock is taken on must exist
    with transaction.atomic():
        economy = _lock_economy()
        done = SettlementRun.objects.filter(key=key).first()
        if done is not None:
            return done
        now = timezone.now()
        run = SettlementRun.objects.create(key=key, started_at=now)
        settled = sql.settle(run=run, economy=economy, now=now)
        run.settlement_count = len(settled)
        run.points_total = sum(points for _pk, points in settled)
        run.finished_at = timezone.now()
        run.save(update_fields=["settlement_count", "points_total", "finished_at"])
        if enqueue:
            ids = [pk for pk, _points in settled]
            transaction.on_commit(lambda: settlements_enqueue(ids=ids))
    log.info("settlement run %s: %s settlements", run.key, run.settlement_count)
    return run


def _lock_economy() -> EconomySettings:
    try:
        return EconomySettings.objects.select_for_update(nowait=True).get(pk=1)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise SettlementBusy from error
        raise


# --- Sending ---------------------------------------------------------------------------


def settlements_enqueue(*, ids: Sequence[int]) -> None:
    """One send task per chunk. Stops at the first broker error (logged, never raised):
    the rows are saved and the sweep sends them."""
    from rewards.tasks.settlement import send  # the tasks import this module

    for start in range(0, len(ids), SEND_CHUNK):
        try:
            send.delay(list(ids[start : start + SEND_CHUNK]))
        except Exception:
            log.exception("could not enqueue sending of %s settlements", len(ids) - start)
            return


def _due_again(now: datetime) -> Q:
    return Q(state__in=[State.SENT, State.FAILED], next_attempt_at__lte=now)


def _backoff(attempts: int) -> timedelta:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def settlements_send(*, ids: Sequence[int]) -> Counter:
    """Sends those of `ids` that are due (pending, or sent/failed and due again); rows
    another worker holds are skipped. Each is marked sent, with its attempt counted and
    its next attempt scheduled, and committed BEFORE the gateway is called: a crash
    after sending leaves a "sent" row that the sweep resends with the same key.
    Returns how many ended in each state."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Settlement.objects.select_for_update(skip_locked=True)
            .filter(Q(state=State.PENDING) | _due_again(now), pk__in=ids)
            .order_by("pk")
        )
        for settlement in batch:
            settlement.state = State.SENT
            settlement.attempts += 1
            settlement.sent_at = now
            settlement.next_attempt_at = now + _backoff(settlement.attempts)
        _save_grouped(batch, ["state", "attempts", "sent_at", "next_attempt_at"])
    if not batch:
        return Counter()
    return _record(batch, _send(batch))


def _save_grouped(rows: list[Settlement], fields: list[str]) -> None:
    """One UPDATE per distinct set of values (a batch's rows mostly share theirs), and
    the gateway references, one per row, in one more: bulk_update's CASE per row and
    field cost ten times more, in Python."""
    shared = [field for field in fields if field != "gateway_reference"]
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(getattr(row, field) for field in shared)].append(row.pk)
    for values, pks in groups.items():
        Settlement.objects.filter(pk__in=pks).update(**dict(zip(shared, values, strict=True)))
    referenced = [row for row in rows if row.gateway_reference]
    if "gateway_reference" in fields and referenced:
        whens = " ".join(["WHEN %s THEN %s"] * len(referenced))
        ids = ", ".join(["%s"] * len(referenced))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Settlement._meta.db_table} "  # noqa: S608 (placeholders only)
                f"SET gateway_reference = CASE id {whens} END WHERE id IN ({ids})",
                [v for row in referenced for v in (row.pk, row.gateway_reference)]
                + [row.pk for row in referenced],
            )


def _reference(settlement: Settlement) -> str:
    """What the bill shows next to the credit."""
    return f"Peerdesk points {timezone.localtime(settlement.created_at):%Y-%m}"


def _send(batch: list[Settlement]) -> dict[str, CreditResult]:
    """The gateway's results by key; a credit without a well-formed result is missing."""
    credits = [
        Credit(
            key=s.key,
            customer_number=s.customer_number,
            amount_cents=s.amount_cents,
            currency=s.currency,
            reference=_reference(s),
        )
        for s in batch
    ]
    try:
        answered = get_gateway().send_credits(credits)
    except Exception:  # a broken gateway loses nothing: the batch stays "sent"
        log.exception("billing gateway failed on %s credits", len(credits))
        return {}
    results = {}
    for result in answered if isinstance(answered, list | tuple) else ():
        if _well_formed(result):
            results[result.key] = result
    return results


def _well_formed(result) -> bool:
    return (
        isinstance(result, CreditResult)
        and all(isinstance(v, str) for v in (result.key, result.outcome, result.reference))
        and isinstance(result.error, str)
        and result.outcome in OUTCOMES
    )


def _record(batch: list[Settlement], results: dict[str, CreditResult]) -> Counter:
    """Writes what the gateway said, under the rows' locks. A confirmation always counts
    (the billing system applied the key); any other answer only for the attempt that is
    still the latest, so a slow worker never overwrites a newer attempt."""
    now = timezone.now()
    fields = ["state", "next_attempt_at", "last_error", "gateway_reference", "confirmed_at"]
    tally: Counter = Counter()
    with transaction.atomic():
        locked = Settlement.objects.select_for_update().filter(pk__in=[s.pk for s in batch])
        rows = {row.pk: row for row in locked.order_by("pk")}
        changed = []
        for sent in batch:
            row = rows[sent.pk]
            result = results.get(sent.key) or CreditResult(
                key=sent.key, outcome=Outcome.UNKNOWN, error="no usable answer from the gateway"
            )
            if _apply(row, result, attempt=sent.attempts, now=now):
                changed.append(row)
            tally[row.state] += 1
        _save_grouped(changed, fields)
        events.payouts_credited(
            settlement_ids=[row.pk for row in changed if row.state == State.CONFIRMED]
        )
        webhooks.settlements_settled(settlements=changed)
    return tally


def _apply(row: Settlement, result: CreditResult, *, attempt: int, now: datetime) -> bool:
    if result.outcome == Outcome.CONFIRMED:
        if row.state == State.CANCELLED:
            log.error("settlement %s confirmed by the billing system after staff cancelled it", row)
            return False
        if row.state == State.CONFIRMED:
            return False
        row.state = State.CONFIRMED
        row.confirmed_at = now
        row.gateway_reference = result.reference[:120]
        row.next_attempt_at = None
        row.last_error = ""
        return True
    if row.state != State.SENT or row.attempts != attempt:
        return False
    last = row.attempts >= MAX_ATTEMPTS
    row.last_error = (result.error or result.outcome)[:300]
    row.next_attempt_at = None if last else now + _backoff(row.attempts)
    # Rejected: failed, retried after the backoff. Unknown: it may have been applied, so it
    # stays sent and is resent with the same key. After the last attempt both go to staff.
    row.state = State.FAILED if last or result.outcome == Outcome.REJECTED else State.SENT
    log.warning("settlement %s attempt %s: %s", row, row.attempts, row.last_error)
    return True


def settlements_sweep() -> int:
    """Periodic: enqueues sending of pending settlements whose task was lost and of sent or
    failed ones whose next attempt is due. Returns how many."""
    now = timezone.now()
    ids = list(
        Settlement.objects.filter(
            Q(state=State.PENDING, created_at__lte=now - LOST_AFTER) | _due_again(now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    settlements_enqueue(ids=ids)
    return len(ids)


# --- Staff -----------------------------------------------------------------------------


def _check_staff(by) -> None:
    if not roles.is_official(by):
        raise PermissionDenied(
            _("Only support leads and community managers can handle settlements.")
        )


def settlement_retry(*, settlement: Settlement, by) -> Settlement:
    """A failed settlement starts over (attempts reset) and is sent after commit, with the
    same key. Locks the row."""
    _check_staff(by)
    with transaction.atomic():
        row = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if row.state != State.FAILED:
            raise Conflict(_("Only a failed settlement can be retried."))
        row.state = State.PENDING
        row.attempts = 0
        row.next_attempt_at = None
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: settlements_enqueue(ids=[row.pk]))
    log.info("settlement %s retried by staff member %s", row, by.pk)
    return row


def settlement_cancel(*, settlement: Settlement, by) -> Settlement:
    """A failed settlement is cancelled and its points come back to the account (an
    entry of kind "settlement_cancel", available at once). Locks the account, then the
    row. Idempotent on the entry's key."""
    _check_staff(by)
    with transaction.atomic():
        account = PointsAccount.objects.select_for_update().get(pk=settlement.account_id)
        row = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if row.state != State.FAILED:
            raise Conflict(_("Only a failed settlement can be cancelled."))
        ledger.entry_add(
            account=account,
            amount=row.points,
            kind=EntryKind.SETTLEMENT_CANCEL,
            key=f"settlement-cancel:{row.pk}",
            settlement=row,
            note=row.last_error[:200],
        )
        row.state = State.CANCELLED
        row.cancelled_at = timezone.now()
        row.cancelled_by = by
        row.next_attempt_at = None
        row.save(update_fields=["state", "cancelled_at", "cancelled_by", "next_attempt_at"])
    log.info("settlement %s cancelled by staff member %s", row, by.pk)
    return row
