"""The ledger's only writers: every movement of points goes through `entry_add` or
`entry_reverse`, which lock the member's account row, append the entry and keep the
cached balance, the milestone counters, the leaderboard tallies and badges in step,
all in the caller's transaction.
"""

from collections import defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from rewards.models import (
    EARNING_KINDS,
    Badge,
    EntryKind,
    FraudHold,
    LedgerEntry,
    MemberBadge,
    PointsAccount,
    PointsTally,
    Rule,
)

# Which milestone counter an earning rule moves.
_COUNTERS: dict[str, str] = {
    Rule.ANSWER_ACCEPTED: "accepted_count",
    Rule.KUDOS_RECEIVED: "kudos_count",
    Rule.SOLVED_TOO_RECEIVED: "solved_too_count",
}
_BADGE_METRICS = {
    Badge.Metric.ACCEPTED: "accepted_count",
    Badge.Metric.KUDOS: "kudos_count",
    Badge.Metric.SOLVED_TOO: "solved_too_count",
    Badge.Metric.LIFETIME: "lifetime_points",
}


def account_for(user) -> PointsAccount:
    """The member's account, created on first use and locked (select_for_update).

    Accounts are always locked before any other rewards row, and in pk order when a
    transaction needs two, so two transactions never wait on each other in a circle."""
    PointsAccount.objects.bulk_create([PointsAccount(user=user)], ignore_conflicts=True)
    return PointsAccount.objects.select_for_update().get(user=user)


def accounts_for(*users) -> list[PointsAccount]:
    """Locks several members' accounts in pk order; returned in the order asked."""
    PointsAccount.objects.bulk_create([PointsAccount(user=u) for u in users], ignore_conflicts=True)
    locked = {
        a.user_id: a
        for a in PointsAccount.objects.select_for_update()
        .filter(user__in=[u.pk for u in users])
        .order_by("pk")
    }
    return [locked[u.pk] for u in users]


def accounts_lock(*account_ids: int | None) -> None:
    """Locks accounts by pk, in pk order (None, an entry without one, is left out)."""
    ids = {pk for pk in account_ids if pk is not None}
    list(PointsAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def existing(key: str) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(key=key).first()


def entry_add(
    *,
    account: PointsAccount,
    amount: int,
    kind: str,
    key: str,
    available_at: datetime | None = None,
    rule: str = "",
    **cause,
) -> LedgerEntry:
    """Appends one entry to a locked account. Idempotent on `key`: a repeated key returns
    the entry already written and changes nothing."""
    assert transaction.get_connection().in_atomic_block, "ledger writes need a transaction"
    found = existing(key)
    if found is not None:
        return found
    entry = LedgerEntry.objects.create(
        account=account,
        amount=amount,
        kind=kind,
        rule=rule,
        key=key,
        available_at=available_at or timezone.now(),
        **cause,
    )
    _account_apply(account, entry, amount)
    return entry


def entry_reverse(*, entry: LedgerEntry, note: str = "") -> LedgerEntry:
    """Writes the entry that cancels `entry`. Idempotent: an entry is reversed at most once
    (a unique constraint backs this). An open fraud hold on it is closed as reversed."""
    account = PointsAccount.objects.select_for_update().get(pk=entry.account_id)
    already = LedgerEntry.objects.filter(reverses=entry).first()
    if already is not None:
        return already
    reversal = LedgerEntry.objects.create(
        account=account,
        amount=-entry.amount,
        kind=EntryKind.REVERSAL,
        rule=entry.rule,
        key=f"reversal:{entry.key}"[:120],
        reverses=entry,
        # Held points cancel out while held; points already payable are owed back at once.
        available_at=entry.available_at,
        forum_id=entry.forum_id,
        question_id=entry.question_id,
        answer_id=entry.answer_id,
        bounty_id=entry.bounty_id,
        note=note[:200],
    )
    FraudHold.objects.filter(entry=entry, state=FraudHold.State.OPEN).update(
        state=FraudHold.State.REVERSED, decided_at=timezone.now()
    )
    _account_apply(account, reversal, reversal.amount, earned=entry)
    return reversal


def entry_restore(*, reversal: LedgerEntry, key: str, note: str = "") -> LedgerEntry:
    """Credits again the earning entry `reversal` undid, once the decision behind the
    reversal is overturned: a new entry like it (kind, rule, amount, cause), available
    when it would have been, or now if that is past. A fraud hold the reversal closed is
    opened again on the new entry, so held points go back to review. Locks the account.
    Idempotent on `key`: the reversal itself stays, the ledger is only appended to."""
    original = reversal.reverses
    if (
        original is None
        or reversal.kind != EntryKind.REVERSAL
        or original.kind not in EARNING_KINDS
    ):
        raise ValueError(f"entry {reversal.pk} is not the reversal of earned points")
    account = PointsAccount.objects.select_for_update().get(pk=original.account_id)
    found = existing(key)
    if found is not None:
        return found
    entry = entry_add(
        account=account,
        amount=original.amount,
        kind=original.kind,
        rule=original.rule,
        key=key,
        available_at=max(original.available_at, timezone.now()),
        forum_id=original.forum_id,
        question_id=original.question_id,
        answer_id=original.answer_id,
        bounty_id=original.bounty_id,
        note=note[:200],
        restores=reversal,
    )
    hold = FraudHold.objects.filter(entry=original, state=FraudHold.State.REVERSED).first()
    if hold is not None:
        FraudHold.objects.create(
            entry=entry, reason=hold.reason, counterpart_id=hold.counterpart_id
        )
    return entry


def latest_unreversed(*conditions: Q, **filters) -> LedgerEntry | None:
    return (
        LedgerEntry.objects.filter(
            *conditions, kind__in=EARNING_KINDS, reversed_by__isnull=True, **filters
        )
        .order_by("-pk")
        .first()
    )


def _account_apply(
    account: PointsAccount, entry: LedgerEntry, amount: int, *, earned: LedgerEntry | None = None
) -> None:
    """Keeps the locked account's cached figures in step with the entry just written.
    `earned` is the original of a reversal: what it undoes decides the counters."""
    origin = earned or entry
    updates = {"balance": F("balance") + amount}
    if origin.kind in EARNING_KINDS:
        updates["lifetime_points"] = F("lifetime_points") + amount
        counter = _COUNTERS.get(origin.rule)
        if counter:
            updates[counter] = F(counter) + (1 if amount > 0 else -1)
    PointsAccount.objects.filter(pk=account.pk).update(**updates, updated_at=timezone.now())
    account.refresh_from_db()
    if origin.kind in EARNING_KINDS and account.user_id is not None:
        _tally_add(
            user_id=account.user_id, forum_id=origin.forum_id, at=origin.created_at, amount=amount
        )
        if amount > 0:
            _badges_grant(account)


def _tally_add(*, user_id: int, forum_id: int | None, at: datetime, amount: int) -> None:
    """Adds to the leaderboard tallies (overall and per forum, month and all-time) in one
    upsert. A reversal counts against the month of the points it undoes."""
    month = timezone.localtime(at).strftime("%Y-%m")
    scopes = [PointsTally.OVERALL] + ([forum_id] if forum_id else [])
    rows = [(user_id, s, p, amount) for s in scopes for p in (PointsTally.ALL_TIME, month)]
    table = PointsTally._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    # Only placeholders and the model's own table name go into the statement.
    sql = (
        f"INSERT INTO {table} (user_id, scope, period, points) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (user_id, scope, period) DO UPDATE "
        f"SET points = {table}.points + EXCLUDED.points"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [v for row in rows for v in row],
        )


def _badges_grant(account: PointsAccount) -> None:
    if account.user_id is None:  # an erased member's account earns no badges
        return
    reached = Q()
    for metric, field in _BADGE_METRICS.items():
        reached |= Q(metric=metric, threshold__lte=getattr(account, field))
    new = Badge.objects.filter(reached).exclude(
        pk__in=MemberBadge.objects.filter(user_id=account.user_id).values("badge_id")
    )
    MemberBadge.objects.bulk_create(
        [MemberBadge(user_id=account.user_id, badge=b) for b in new], ignore_conflicts=True
    )


def payable(now: datetime) -> Q:
    """Entries that count towards the available balance: past their holding period and
    not held for fraud review (rewards/settlement/sql.py says the same in SQL)."""
    return Q(available_at__lte=now) & ~Q(hold__state=FraudHold.State.OPEN)


def available_points(account: PointsAccount) -> int:
    entries = account.entries.filter(payable(timezone.now()))
    return entries.aggregate(total=Sum("amount"))["total"] or 0


def tallies_rebuild() -> None:
    """Recomputes every leaderboard tally from the ledger, in one grouped query (after
    importing history, or to repair). A reversal counts in the month of what it undoes."""
    earned = (
        LedgerEntry.objects.filter(account__user__isnull=False)
        .filter(Q(kind__in=EARNING_KINDS) | Q(reverses__kind__in=EARNING_KINDS))
        .annotate(
            month=TruncMonth(Coalesce("reverses__created_at", "created_at")),
            cause_forum=Coalesce("reverses__forum_id", "forum_id"),
        )
        .values("account__user_id", "cause_forum", "month")
        .annotate(points=Sum("amount"))
    )
    tallies: dict[tuple, int] = defaultdict(int)
    for row in earned:
        scopes = [PointsTally.OVERALL] + ([row["cause_forum"]] if row["cause_forum"] else [])
        for scope in scopes:
            for period in (PointsTally.ALL_TIME, row["month"].strftime("%Y-%m")):
                tallies[row["account__user_id"], scope, period] += row["points"]
    PointsTally.objects.all().delete()
    PointsTally.objects.bulk_create(
        [PointsTally(user_id=u, scope=s, period=p, points=n) for (u, s, p), n in tallies.items()],
        batch_size=5000,
    )
