"""Time the settlement run (rewards.settlement.services.settlement_run) at scale.

    uv run --frozen python bench/settlement_bench.py [--members 100000] [--entries 20] [--reuse]

Creates the database peerdesk_settlebench on the machine's PostgreSQL
(postgres@127.0.0.1:5432), seeds --members members with a verified customer account and
--entries ledger entries each (2,000,000 by default) with INSERT ... SELECT over
generate_series, then times: the run, running the same key again, check_ledger, the
sweep's query, the staff page's counts, and sending a sample of the credits through the
local gateway. See bench/README.md.
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "peerdesk_settlebench"

# Every fifth entry is still in its holding period and one in a hundred under an open
# fraud hold; amounts of 20 to 69 points leave most members above the minimum payout.
SEED = [
    """
    INSERT INTO accounts_user (password, is_superuser, email, display_name, bio, location,
        avatar, bio_visibility, location_visibility, avatar_visibility, is_staff, is_active,
        date_joined)
    SELECT '!', false, 'bench' || n || '@example.com', 'Bench ' || n, '', '', '{}',
        'members', 'members', 'members', false, true, now() - interval '400 days'
    FROM generate_series(1, %(members)s) n
    """,
    """
    INSERT INTO rewards_pointsaccount (user_id, pseudonym, balance, lifetime_points,
        accepted_count, kudos_count, solved_too_count, updated_at)
    SELECT id, '', 0, 0, 0, 0, 0, now() FROM accounts_user
    """,
    """
    INSERT INTO accounts_customeraccountlink (user_id, customer_number, state, method,
        code_hash, attempts, send_count, created_at, verified_at)
    SELECT id, 'CN' || lpad(id::text, 9, '0'), 'verified', 'staff', '', 0, 0, now(), now()
    FROM accounts_user
    """,
    """
    INSERT INTO rewards_ledgerentry (account_id, amount, kind, rule, key, available_at,
        created_at, note)
    SELECT a.id, 20 + (a.id * 7 + g) %% 50, 'award', 'kudos_received',
        'bench:' || a.id || ':' || g,
        CASE WHEN g %% 5 = 0 THEN now() + interval '7 days' ELSE now() - interval '30 days' END,
        now() - interval '60 days', ''
    FROM rewards_pointsaccount a CROSS JOIN generate_series(1, %(entries)s) g
    """,
    """
    INSERT INTO rewards_fraudhold (entry_id, reason, state, created_at)
    SELECT id, 'vote_ring', 'open', now() FROM rewards_ledgerentry WHERE id %% 100 = 0
    """,
    """
    UPDATE rewards_pointsaccount a SET balance = s.total, lifetime_points = s.total
    FROM (SELECT account_id, SUM(amount) AS total FROM rewards_ledgerentry
          GROUP BY account_id) s
    WHERE s.account_id = a.id
    """,
]


@contextmanager
def timed(label: str):
    started = time.perf_counter()
    yield
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=20, help="ledger entries per member")
    parser.add_argument("--send", type=int, default=5_000, help="credits to send (a sample)")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    args = parser.parse_args()
    fresh = setup(reuse=args.reuse)
    if fresh:
        seed(members=args.members, entries=args.entries)
    run_and_check(send=args.send)


def setup(*, reuse: bool) -> bool:
    """Returns whether the database is new (and needs seeding)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "DEBUG": "false",  # DEBUG would keep every query in memory
            "SECRET_KEY": "bench-only-not-a-secret",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        fresh = not (exists and reuse)
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            conn.execute(f"CREATE DATABASE {DATABASE}")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    return fresh


def seed(*, members: int, entries: int) -> None:
    from django.db import connection

    label = f"seed {members:,} members, {members * entries:,} entries"
    with timed(label), connection.cursor() as cursor:
        for statement in SEED:
            with timed("  " + " ".join(statement.split()[:3])):
                cursor.execute(statement, {"members": members, "entries": entries})
    with timed("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def run_and_check(*, send: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from rewards.ledger.check import ledger_differences
    from rewards.models import LedgerEntry, PointsAccount, Settlement
    from rewards.settlement import selectors as settlement_selectors
    from rewards.settlement import services as settlement

    print(
        f"{PointsAccount.objects.count():,} accounts, {LedgerEntry.objects.count():,} entries, "
        f"{Settlement.objects.count():,} settlements before the run"
    )
    key = f"bench-{timezone.now():%H%M%S}"
    with timed("settlement_run"):
        run = settlement.settlement_run(key=key, enqueue=False)
    print(f"  {run.settlement_count:,} settlements, {run.points_total:,} points")
    with timed("settlement_run, same key again"):
        settlement.settlement_run(key=key, enqueue=False)
    with timed("check_ledger (every invariant)"):
        differences = list(ledger_differences())
    print(f"  {len(differences)} differences")
    with timed("staff page: counts by state"):
        settlement_selectors.settlement_counts()
    with timed("sweep (selects due settlements)"):
        # Nothing is due yet: the run's settlements are pending for less than LOST_AFTER.
        settlement.settlements_sweep()
    ids = list(run.settlements.order_by("pk").values_list("pk", flat=True)[:send])
    started = time.perf_counter()
    for start in range(0, len(ids), settlement.SEND_CHUNK):
        settlement.settlements_send(ids=ids[start : start + settlement.SEND_CHUNK])
    seconds = time.perf_counter() - started
    print(
        f"{'send ' + format(len(ids), ',') + ' credits (local gateway)':<44} {seconds:7.2f} s"
        f"  ({len(ids) / seconds:,.0f} credits/s)"
    )
    connection.close()


if __name__ == "__main__":
    main()
