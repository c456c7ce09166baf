"""The ledger's invariants, checked set-based for every account and settlement at once
(manage.py check_ledger): a constant number of queries, whatever the ledger's size.

- an account's balance is the sum of its entries, and its lifetime points the sum of its
  earning entries (EARNING_KINDS and the reversals of them);
- every settlement has exactly one debit on its account, of -points; a cancelled one also
  exactly one cancel entry of +points, any other none;
- every debit or cancel entry belongs to a settlement of its own account.
"""

from collections.abc import Iterator

from django.db import connection

from rewards.models import EARNING_KINDS, EntryKind, LedgerEntry, PointsAccount, Settlement

ACCOUNTS = """
    SELECT a.id, a.balance, a.lifetime_points,
           COALESCE(sums.total, 0), COALESCE(sums.earned, 0)
    FROM {account} a
    LEFT JOIN (
        SELECT e.account_id, SUM(e.amount) AS total,
               SUM(CASE WHEN e.kind IN ({earning}) OR original.kind IN ({earning})
                        THEN e.amount ELSE 0 END) AS earned
        FROM {entry} e
        LEFT JOIN {entry} original ON original.id = e.reverses_id
        GROUP BY e.account_id
    ) sums ON sums.account_id = a.id
    WHERE a.balance <> COALESCE(sums.total, 0) OR a.lifetime_points <> COALESCE(sums.earned, 0)
    ORDER BY a.id
"""

SETTLEMENTS = """
    SELECT s.key, s.state, s.points, t.debits, t.debited, t.cancels, t.returned
    FROM {settlement} s
    JOIN (
        SELECT s.id,
               SUM(CASE WHEN e.kind = %(debit)s THEN 1 ELSE 0 END) AS debits,
               SUM(CASE WHEN e.kind = %(debit)s THEN e.amount ELSE 0 END) AS debited,
               SUM(CASE WHEN e.kind = %(cancel)s THEN 1 ELSE 0 END) AS cancels,
               SUM(CASE WHEN e.kind = %(cancel)s THEN e.amount ELSE 0 END) AS returned
        FROM {settlement} s
        LEFT JOIN {entry} e ON e.settlement_id = s.id AND e.account_id = s.account_id
        GROUP BY s.id
    ) t ON t.id = s.id
    WHERE t.debits <> 1 OR t.debited <> -s.points
       OR t.cancels <> CASE WHEN s.state = %(cancelled)s THEN 1 ELSE 0 END
       OR t.returned <> CASE WHEN s.state = %(cancelled)s THEN s.points ELSE 0 END
    ORDER BY s.id
"""

STRAY = """
    SELECT e.id, e.key, e.kind
    FROM {entry} e
    LEFT JOIN {settlement} s ON s.id = e.settlement_id AND s.account_id = e.account_id
    WHERE e.kind IN (%(debit)s, %(cancel)s) AND s.id IS NULL
    ORDER BY e.id
"""


def ledger_differences() -> Iterator[str]:
    """One line per broken invariant; nothing when the ledger is consistent."""
    tables = {
        "account": PointsAccount._meta.db_table,
        "entry": LedgerEntry._meta.db_table,
        "settlement": Settlement._meta.db_table,
    }
    earning = ", ".join(f"%(earning_{n})s" for n in range(len(EARNING_KINDS)))
    params = {
        "debit": EntryKind.SETTLEMENT,
        "cancel": EntryKind.SETTLEMENT_CANCEL,
        "cancelled": Settlement.State.CANCELLED,
        **{f"earning_{n}": kind for n, kind in enumerate(EARNING_KINDS)},
    }
    with connection.cursor() as cursor:
        cursor.execute(ACCOUNTS.format(**tables, earning=earning), params)
        for pk, balance, lifetime, total, earned in cursor.fetchall():
            if balance != total:
                yield f"account {pk}: balance {balance}, its entries sum to {total}"
            if lifetime != earned:
                yield f"account {pk}: lifetime points {lifetime}, earning entries sum to {earned}"
        cursor.execute(SETTLEMENTS.format(**tables), params)
        for key, state, points, debits, debited, cancels, returned in cursor.fetchall():
            yield (
                f"settlement {key} ({state}, {points} points): {debits} debit(s) of {debited} "
                f"in total, {cancels} cancel entry(ies) of {returned} in total"
            )
        cursor.execute(STRAY.format(**tables), params)
        for pk, key, kind in cursor.fetchall():
            yield f"entry {pk} ({kind}, {key}): no settlement of its account"


def accounts_count() -> int:
    return PointsAccount.objects.count()
