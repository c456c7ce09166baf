"""Real threads on PostgreSQL: a second settlement run while one is writing is refused,
and however runs overlap, each member is settled once and the ledger stays consistent."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Event

import pytest
from django.db import connection
from django.db.models import Count

from rewards.models import Settlement
from rewards.settlement import sql as settlement_sql
from rewards.settlement.services import SettlementBusy, settlement_run
from tests.rewards.settlement_helpers import assert_ledger_ok, member_with

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(call):
    try:
        return call()
    except SettlementBusy as busy:
        return busy
    finally:
        connection.close()


def test_a_run_started_while_another_is_writing_is_refused(monkeypatch):
    members = [member_with(1000) for _ in range(5)]
    writing, refused = Event(), Event()
    write = settlement_sql.settle

    def slow_write(**kwargs):
        writing.set()
        refused.wait(timeout=10)
        return write(**kwargs)

    monkeypatch.setattr(settlement_sql, "settle", slow_write)

    def second():
        writing.wait(timeout=10)
        try:
            return settlement_run(key="second", enqueue=False)
        finally:
            refused.set()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_in_thread, lambda: settlement_run(key="first", enqueue=False))
        other = pool.submit(_in_thread, second)
        results = [first.result(), other.result()]

    assert results[0].settlement_count == 5
    assert isinstance(results[1], SettlementBusy)
    assert "Another settlement run is in progress" in str(results[1])
    assert Settlement.objects.filter(account__user__in=members).count() == 5
    assert_ledger_ok()


def test_overlapping_runs_settle_each_member_once():
    members = [member_with(1000) for _ in range(10)]
    barrier = Barrier(4)

    def run(key):
        barrier.wait()
        return settlement_run(key=key, enqueue=False)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda k: _in_thread(lambda: run(k)), ["a", "b", "c", "d"]))

    assert sum(not isinstance(r, SettlementBusy) for r in results) >= 1
    per_member = Settlement.objects.values("account").annotate(n=Count("pk"))
    assert sorted(row["n"] for row in per_member) == [1] * len(members)
    assert_ledger_ok()
