"""manage.py settle_points (what the daily beat task runs) and manage.py check_ledger."""

from io import StringIO
from threading import Event, Thread

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from billing.models import LocalCredit
from rewards.models import EconomySettings, EntryKind, LedgerEntry, PointsAccount, Settlement
from tests.rewards.settlement_helpers import member_with, settlements

pytestmark = pytest.mark.django_db


def command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_settle_points_settles_sends_and_sums_up():
    members = [member_with(1000), member_with(600)]

    out = command("settle_points", "--key", "2026-11-24")

    assert "Run 2026-11-24: 2 settlements, 1,600 points, EUR 16.00." in out
    assert "Sent 2: 2 confirmed, 0 awaiting an answer" in out
    assert all(s.state == Settlement.State.CONFIRMED for s in settlements())
    assert LocalCredit.objects.count() == len(members)


def test_settle_points_run_again_settles_nothing_new():
    member_with(1000)
    command("settle_points", "--key", "2026-11-24")

    out = command("settle_points", "--key", "2026-11-24")

    assert "already run earlier: nothing new settled" in out
    assert "Sent 0" in out
    assert LocalCredit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_settle_points_refuses_clearly_while_another_run_holds_the_lock():
    member_with(1000)
    locked, release = Event(), Event()

    def other_run():
        with transaction.atomic():
            EconomySettings.objects.select_for_update().get(pk=1)
            locked.set()
            release.wait(timeout=10)
        connection.close()

    holder = Thread(target=other_run)
    holder.start()
    locked.wait(timeout=10)
    try:
        with pytest.raises(CommandError, match="Another settlement run is in progress"):
            command("settle_points")
    finally:
        release.set()
        holder.join()

    assert not Settlement.objects.exists()


def test_settle_points_refuses_a_key_that_is_too_long():
    with pytest.raises(CommandError, match="1 to 40 characters"):
        command("settle_points", "--key", "x" * 41)


def test_check_ledger_passes_on_a_consistent_ledger():
    member_with(1000)
    member_with(700)
    command("settle_points")

    assert "ledger OK: 2 accounts" in command("check_ledger")


def test_check_ledger_exits_1_on_a_tampered_balance():
    member = member_with(1000)
    PointsAccount.objects.filter(user=member).update(balance=5000)

    with pytest.raises(CommandError) as failed:
        command("check_ledger")

    assert failed.value.returncode == 1
    assert "ledger differences: 1" in str(failed.value)


def test_check_ledger_reports_each_kind_of_difference():
    member = member_with(1000)
    command("settle_points")
    account = PointsAccount.objects.get(user=member)
    PointsAccount.objects.filter(pk=account.pk).update(lifetime_points=1)
    LedgerEntry.objects.filter(kind=EntryKind.SETTLEMENT).update(amount=-999)
    Settlement.objects.update(state=Settlement.State.CANCELLED)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("check_ledger", stdout=out, stderr=out)

    report = out.getvalue()
    assert f"account {account.pk}: balance 0, its entries sum to 1" in report
    assert f"account {account.pk}: lifetime points 1, earning entries sum to 1000" in report
    assert "(cancelled, 1000 points): 1 debit(s) of -999 in total, 0 cancel" in report
