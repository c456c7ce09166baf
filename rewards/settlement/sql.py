"""The settlement run's set-based SQL (rewards.settlement.services.settlement_run calls
`settle`): a constant number of statements whatever the number of members, on PostgreSQL
and, for `make run`, SQLite."""

from datetime import datetime
from math import gcd

from django.db import connection
from django.utils import timezone

from accounts.models import CustomerAccountLink, User
from rewards.models import (
    EconomySettings,
    EntryKind,
    FraudHold,
    LedgerEntry,
    PointsAccount,
    Settlement,
    SettlementRun,
)

State = Settlement.State
CURRENCY = "EUR"


def _tables() -> dict[str, str]:
    return {
        "account": PointsAccount._meta.db_table,
        "entry": LedgerEntry._meta.db_table,
        "hold": FraudHold._meta.db_table,
        "link": CustomerAccountLink._meta.db_table,
        "member": User._meta.db_table,
        "settlement": Settlement._meta.db_table,
    }


# Accounts that may be settled: an active member with a verified customer-account link
# (as accounts.customer_link.services.verified_links() defines it) and a balance that reaches the
# minimum payout (no payout ever exceeds the balance).
CANDIDATES = """
    {account} a
    JOIN {member} m ON m.id = a.user_id AND m.is_active
    JOIN {link} link ON link.user_id = a.user_id AND link.state = %(verified)s
"""
ENOUGH = "a.balance >= %(minimum)s"

LOCK = "SELECT a.id FROM {candidates} WHERE {enough} ORDER BY a.id FOR UPDATE OF a"

# Payable = the least of the available points, the balance and what the monthly cap
# leaves; only whole cents are settled (`step` points make `step_cents` cents), the rest
# stays on the account. Available = entries whose holding period has passed and that no
# open fraud hold keeps back.
SETTLE = """
    INSERT INTO {settlement} (
        run_id, account_id, customer_number, points, amount_cents, currency, key,
        state, attempts, last_error, gateway_reference, created_at
    )
    SELECT %(run)s, payable.account_id, payable.customer_number,
           payable.points / %(step)s * %(step)s,
           payable.points / %(step)s * %(step_cents)s,
           %(currency)s, %(key_prefix)s || CAST(payable.account_id AS TEXT),
           %(pending)s, 0, '', '', %(now)s
    FROM (
        SELECT a.id AS account_id, link.customer_number,
               {least}(available.points, a.balance,
                       %(cap)s - COALESCE(this_month.points, 0)) AS points
        FROM {candidates}
        JOIN (
            SELECT e.account_id, CAST(SUM(e.amount) AS BIGINT) AS points
            FROM {entry} e
            WHERE e.available_at <= %(now)s
              AND NOT EXISTS (
                  SELECT 1 FROM {hold} h WHERE h.entry_id = e.id AND h.state = %(open)s
              )
            GROUP BY e.account_id
        ) available ON available.account_id = a.id
        LEFT JOIN (
            SELECT s.account_id, CAST(SUM(s.points) AS BIGINT) AS points
            FROM {settlement} s
            WHERE s.created_at >= %(month_start)s AND s.state <> %(cancelled)s
            GROUP BY s.account_id
        ) this_month ON this_month.account_id = a.id
        WHERE {enough} {locked}
    ) payable
    WHERE payable.points / %(step)s * %(step)s >= %(minimum)s
    RETURNING id, points
"""

DEBIT = """
    INSERT INTO {entry} (
        account_id, amount, kind, rule, key, available_at, created_at, settlement_id, note
    )
    SELECT s.account_id, -s.points, %(kind)s, '', %(key_prefix)s || s.key, %(now)s, %(now)s,
           s.id, ''
    FROM {settlement} s
    WHERE s.run_id = %(run)s
"""

BALANCE = """
    UPDATE {account}
    SET balance = balance - s.points, updated_at = %(now)s
    FROM {settlement} s
    WHERE s.account_id = {account}.id AND s.run_id = %(run)s
"""


def settle(*, run: SettlementRun, economy: EconomySettings, now: datetime) -> list[tuple]:
    """Writes the run's settlements, their debits (kind "settlement", available at once)
    and the new balances: the ledger's invariants hold afterwards, as if each debit had
    gone through ledger.entry_add. Returns (settlement id, points) pairs."""
    postgres = connection.vendor == "postgresql"
    tables = _tables()
    divisor = gcd(100, economy.points_per_euro)
    params = {
        "run": run.pk,
        "now": now,
        "verified": CustomerAccountLink.State.VERIFIED,
        "minimum": economy.minimum_payout,
        "cap": economy.monthly_cap,
        "step": economy.points_per_euro // divisor,
        "step_cents": 100 // divisor,
        "month_start": timezone.localtime(now).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        ),
        "currency": CURRENCY,
        "key_prefix": f"settlement:{run.key}:",
        "pending": State.PENDING,
        "cancelled": State.CANCELLED,
        "open": FraudHold.State.OPEN,
    }
    candidates = CANDIDATES.format(**tables)
    locked = ""
    with connection.cursor() as cursor:
        if postgres:
            # Locked first, so the sums below see every entry committed before the lock
            # (every ledger writer locks the account row). SQLite locks the whole file.
            cursor.execute(LOCK.format(candidates=candidates, enough=ENOUGH), params)
            params["accounts"] = [pk for (pk,) in cursor.fetchall()]
            locked = "AND a.id = ANY(%(accounts)s)"
        settle = SETTLE.format(
            **tables,
            candidates=candidates,
            enough=ENOUGH,
            locked=locked,
            least="LEAST" if postgres else "MIN",
        )
        cursor.execute(settle, params)
        settled = cursor.fetchall()
        written = {"run": run.pk, "now": now}
        cursor.execute(
            DEBIT.format(**tables),
            {**written, "kind": EntryKind.SETTLEMENT, "key_prefix": "settlement:"},
        )
        cursor.execute(BALANCE.format(**tables), written)
    return settled
