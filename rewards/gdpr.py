"""What the rewards app holds about a member, for export (Art. 15, 20) and erasure (Art. 17).

Erasure keeps the points account, its ledger and settlements: they are bookkeeping
that commercial and tax law require us to keep (Art. 17(3)(b) GDPR). They are
pseudonymised instead: the account loses its link to the member, and settlements
keep a keyed hash of the customer number instead of the number. Registered with
core.gdpr.
"""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy

from billing.gdpr import pseudonym
from core import gdpr
from rewards.models import (
    Bounty,
    FraudHold,
    HouseholdSignal,
    LedgerEntry,
    MemberBadge,
    PointsAccount,
    PointsTally,
    Settlement,
)

EXPORT_ORDER = 40
ERASE_ORDER = 30


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@gdpr.exporter(
    "points_ledger.json",
    gettext_lazy(
        "Every movement of your points: awards, reversals, payouts, bounties; when each "
        "became available and whether it was held for review."
    ),
    order=EXPORT_ORDER,
    models=[PointsAccount, LedgerEntry, FraudHold],
)
def ledger_rows(user) -> Iterable[dict]:
    entries = (
        LedgerEntry.objects.filter(account__user=user)
        .select_related("hold")
        .order_by("created_at", "pk")
    )
    for e in entries.iterator(chunk_size=2000):
        hold = getattr(e, "hold", None)
        yield {
            "id": e.pk,
            "created_at": e.created_at,
            "points": e.amount,
            "kind": e.kind,
            "rule": e.rule or None,
            "available_from": e.available_at,
            "reverses_entry": e.reverses_id,
            "question_id": e.question_id,
            "answer_id": e.answer_id,
            "settlement_id": e.settlement_id,
            "bounty_id": e.bounty_id,
            "review": {"reason": hold.reason, "state": hold.state} if hold else None,
            "note": e.note,
        }


@gdpr.exporter(
    "settlements.json",
    gettext_lazy("Your payouts: points, amount in euros, customer number and their state."),
    order=EXPORT_ORDER,
    models=[Settlement],
)
def settlement_rows(user) -> Iterable[dict]:
    settlements = Settlement.objects.filter(account__user=user).order_by("created_at", "pk")
    for s in settlements.iterator(chunk_size=2000):
        yield {
            "id": s.pk,
            "created_at": s.created_at,
            "points": s.points,
            "amount": f"{s.amount_cents / 100:.2f}",
            "currency": s.currency,
            "customer_number": s.customer_number,
            "state": s.state,
            "confirmed_at": s.confirmed_at,
            "billing_reference": s.gateway_reference,
        }


@gdpr.exporter(
    "bounties.json",
    gettext_lazy("The bounties you offered on your questions."),
    order=EXPORT_ORDER,
    models=[Bounty],
)
def bounty_rows(user) -> Iterable[dict]:
    for b in Bounty.objects.filter(account__user=user).order_by("created_at", "pk"):
        yield {
            "question_id": b.question_id,
            "points": b.points,
            "deadline": b.deadline,
            "state": b.state,
            "created_at": b.created_at,
        }


@gdpr.exporter(
    "badges.json", gettext_lazy("The badges you earned."), order=EXPORT_ORDER, models=[MemberBadge]
)
def badge_rows(user) -> Iterable[dict]:
    badges = MemberBadge.objects.filter(user=user).select_related("badge").order_by("awarded_at")
    for mb in badges:
        yield {"badge": mb.badge.slug, "name": mb.badge.name_en, "awarded_at": mb.awarded_at}


@gdpr.exporter(
    "household_signals.json",
    gettext_lazy(
        "Keyed hashes of the networks and devices you used recently (never the addresses), "
        "kept for a few weeks to stop point farming."
    ),
    order=EXPORT_ORDER,
    models=[HouseholdSignal],
)
def household_rows(user) -> Iterable[dict]:
    for s in HouseholdSignal.objects.filter(user=user).order_by("kind", "last_seen"):
        yield {"kind": s.kind, "keyed_hash": s.digest, "last_seen": s.last_seen}


@gdpr.eraser(order=ERASE_ORDER, models=[PointsAccount, Settlement])
def rewards_erase(user) -> None:
    """Pseudonymises the member's points account and settlements. Badges, leaderboard
    tallies and household signals go with the user row (CASCADE). Idempotent."""
    account = PointsAccount.objects.select_for_update().filter(user=user).first()
    if account is None:
        return
    account.pseudonym = f"erased-{secrets.token_hex(8)}"
    account.save(update_fields=["pseudonym"])
    settlements = Settlement.objects.filter(account=account)
    for number in set(settlements.values_list("customer_number", flat=True)):
        settlements.filter(customer_number=number).update(customer_number=pseudonym(number))


gdpr.deleted_with_member(MemberBadge, PointsTally, HouseholdSignal)
gdpr.not_exported(
    PointsTally,
    reason="Leaderboard sums per period, derived from the ledger, which points_ledger.json "
    "holds entry by entry.",
)
gdpr.retained(
    LedgerEntry,
    Bounty,
    reason="Points are credited as money: bookkeeping law keeps the entries 6 to 10 years "
    "(Art. 17(3)(b), § 257 HGB, § 147 AO), on the points account, which erasure "
    "pseudonymises (erased-...).",
)
gdpr.retained(
    FraudHold,
    reason="The review record of a held award belongs to the ledger, which bookkeeping law "
    "keeps (as LedgerEntry). It names a member only as the counterpart whose household "
    "matched, or as the staff member who decided; both links are cut (SET_NULL) when that "
    "member is erased, and the counterpart is not told (it would tip off a point farmer).",
)
