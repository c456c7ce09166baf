"""Reads for the staff review of held points (rewards.fraud.services decides them): the
open holds per pair of members, the one credited and the counterpart whose action
credited them."""

from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet

from rewards.models import FraudHold, PointsAccount


def fraud_pair_holds(*, account_id: int, counterpart_id: int | None) -> QuerySet[FraudHold]:
    """The open holds of one pair; `counterpart_id` None is an erased counterpart."""
    return FraudHold.objects.filter(
        state=FraudHold.State.OPEN, entry__account_id=account_id, counterpart_id=counterpart_id
    ).order_by("created_at", "pk")


def fraud_pairs_open() -> QuerySet:
    """One row per pair with open holds, the pair waiting longest first. Paginate it,
    then load the page's holds with `fraud_review_pairs`."""
    return (
        FraudHold.objects.filter(state=FraudHold.State.OPEN)
        .values("entry__account_id", "counterpart_id")
        .annotate(oldest=Min("created_at"))
        .order_by("oldest", "entry__account_id", "counterpart_id")
    )


def fraud_holds_open_count() -> int:
    """The holds waiting for a decision, for the staff menu."""
    return FraudHold.objects.filter(state=FraudHold.State.OPEN).count()


@dataclass
class HeldPair:
    account: PointsAccount
    counterpart_id: int | None
    holds: list[FraudHold]

    @property
    def member(self):
        return self.account.user

    @property
    def counterpart(self):
        return self.holds[0].counterpart

    @property
    def points(self) -> int:
        return sum(hold.entry.amount for hold in self.holds)

    @property
    def reasons(self) -> list[str]:
        return sorted({hold.get_reason_display() for hold in self.holds})


def fraud_review_pairs(rows) -> list[HeldPair]:
    """The open holds of the pairs in `rows` (from fraud_pairs_open), grouped per pair in
    the order given, with what the page shows. One query."""
    wanted = Q(pk__in=[])
    for row in rows:
        wanted |= Q(
            entry__account_id=row["entry__account_id"], counterpart_id=row["counterpart_id"]
        )
    holds = (
        FraudHold.objects.filter(wanted, state=FraudHold.State.OPEN)
        .select_related(
            "entry__account__user", "entry__question", "entry__answer__question", "counterpart"
        )
        .order_by("created_at", "pk")
    )
    pairs: dict[tuple, HeldPair | None] = {
        (row["entry__account_id"], row["counterpart_id"]): None for row in rows
    }
    for hold in holds:
        key = (hold.entry.account_id, hold.counterpart_id)
        pair = pairs[key]
        if pair is None:
            pair = HeldPair(account=hold.entry.account, counterpart_id=key[1], holds=[])
            pairs[key] = pair
        pair.holds.append(hold)
    # A pair decided between the two queries has no open holds left: leave it out.
    return [pair for pair in pairs.values() if pair is not None]
