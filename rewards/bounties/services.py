"""Bounties: an asker puts some of their own points on a hard question. They go to the
accepted answer (held like any award, and reviewed when the pair looks farmed), or back
to the asker once the deadline has passed with no bounty awarded.

Lock order, as everywhere in rewards: the question row (community), then accounts, then
the bounty row.
"""

import logging
from datetime import timedelta
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from community.models import Question
from privacy.rules import require_required_consents
from rewards.fraud import detection as fraud
from rewards.ledger import services as ledger
from rewards.models import Bounty, EconomySettings, EntryKind, FraudHold, LedgerEntry, PointsAccount

logger = logging.getLogger(__name__)

MIN_POINTS = 10
MAX_DAYS = 30


def points_spendable(account: PointsAccount) -> int:
    """Points the member can put on a bounty: the available ones (past their holding
    period, not held for review), never more than the balance (the settlement's rule)."""
    return max(0, min(ledger.available_points(account), account.balance))


def bounty_open_for(question) -> Bounty | None:
    return Bounty.objects.filter(question=question, state=Bounty.State.OPEN).first()


@transaction.atomic
def bounty_offer(*, question, by, points: int, days: int) -> Bounty:
    """Stakes `points` of the asker's available points on their open question until
    `days` from now. Locks the question row, then the asker's account."""
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk)
    if not (by.is_authenticated and by.pk == question.author_id):
        raise PermissionDenied(_("Only the asker can offer a bounty on this question."))
    require_required_consents(by)
    errors = {}
    if points < MIN_POINTS:
        errors["points"] = _("Offer at least %(min)d points.") % {"min": MIN_POINTS}
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Choose between 1 and %(max)d days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    if question.status != Question.Status.OPEN:
        raise ValidationError(_("This question is solved: bounties are for open questions."))
    account = ledger.account_for(by)
    if bounty_open_for(question) is not None:
        raise ValidationError(_("This question already has an open bounty."))
    available = points_spendable(account)
    if points > available:
        raise ValidationError(
            {"points": _("You have %(available)d points available.") % {"available": available}}
        )
    bounty = Bounty.objects.create(
        question=question,
        account=account,
        points=points,
        deadline=timezone.now() + timedelta(days=days),
    )
    ledger.entry_add(
        account=account,
        amount=-points,
        kind=EntryKind.BOUNTY_STAKE,
        key=f"bounty-stake:{bounty.pk}",
        question=question,
        bounty=bounty,
    )
    return bounty


def bounty_on_accept(*, answer, question) -> LedgerEntry | None:
    """In answer_accept's transaction (question row locked, answerer's account locked).
    The open bounty goes to the answerer unless they are the asker or staff; one past its
    deadline goes back to the asker instead."""
    found = (
        Bounty.objects.filter(question=question, state=Bounty.State.OPEN)
        .values_list("pk", "deadline")
        .first()
    )
    if found is None:
        return None
    bounty_id, deadline = found
    if deadline <= timezone.now():
        _bounty_refund(bounty_id=bounty_id)
        return None
    winner = answer.author
    if (
        winner is None
        or not winner.is_active
        or winner.pk == question.author_id
        or roles.is_staff_member(winner)
    ):
        return None
    account = ledger.account_for(winner)
    bounty = Bounty.objects.select_for_update().get(pk=bounty_id)
    if bounty.state != Bounty.State.OPEN:
        return None
    entry = ledger.entry_add(
        account=account,
        amount=bounty.points,
        kind=EntryKind.BOUNTY_WON,
        key=f"bounty-won:{bounty.pk}:{question.version}",
        available_at=timezone.now() + timedelta(days=EconomySettings.load().holding_days),
        forum_id=question.forum_id,
        question=question,
        answer=answer,
        bounty=bounty,
    )
    asker = question.author
    if asker is not None and (reason := fraud.suspicion(member=winner, other=asker)):
        FraudHold.objects.create(entry=entry, reason=reason, counterpart=asker)
    bounty.state = Bounty.State.AWARDED
    bounty.save(update_fields=["state"])
    return entry


def bounty_on_unaccept(*, answer) -> LedgerEntry | None:
    """Reverses the bounty this answer won; the bounty is open again, or goes back to the
    asker at once when its deadline has passed. Returns the reversal, if any."""
    won = ledger.latest_unreversed(kind=EntryKind.BOUNTY_WON, answer=answer)
    if won is None:
        return None
    reversal = ledger.entry_reverse(entry=won)
    account, bounty = _locked(cast(int, won.bounty_id))
    if bounty.deadline <= timezone.now():
        _refund(account, bounty)
    else:
        bounty.state = Bounty.State.OPEN
        bounty.save(update_fields=["state"])
    return reversal


def bounty_on_win_reversed(*, won: LedgerEntry) -> LedgerEntry | None:
    """After staff reversed the held bounty win `won` (rewards.fraud.services): the stake
    goes back to the asker at once, as for a bounty past its deadline; it is not offered
    again, the accepted answer stands. The caller locked the winner's and the asker's
    accounts (pk order); locks the bounty. Idempotent: only an awarded bounty is returned,
    and the refund's key is the bounty's. Returns the refund, if any."""
    account, bounty = _locked(cast(int, won.bounty_id))
    if bounty.state != Bounty.State.AWARDED:
        return None
    return _refund(account, bounty)


def bounty_win_restore(*, reversal: LedgerEntry, key: str, note: str = "") -> LedgerEntry | None:
    """Gives back a bounty win that `reversal` took (its decision was overturned) while the
    bounty is still open: not won by another answer since, nor returned to the asker,
    whose points would otherwise pay it twice. Awarded again. The caller checked that the
    answer is still accepted and locked the winner's and the asker's accounts (pk order);
    locks the bounty. Idempotent on `key`."""
    if (found := ledger.existing(key)) is not None:
        return found
    _account, bounty = _locked(cast(int, cast(LedgerEntry, reversal.reverses).bounty_id))
    if bounty.state != Bounty.State.OPEN:
        return None
    entry = ledger.entry_restore(reversal=reversal, key=key, note=note)
    bounty.state = Bounty.State.AWARDED
    bounty.save(update_fields=["state"])
    return entry


def bounty_refund_due() -> int:
    """Periodic: returns the open bounties past their deadline to their askers, each in its
    own transaction (one failure is logged and the rest go on). Returns how many."""
    due = Bounty.objects.filter(state=Bounty.State.OPEN, deadline__lte=timezone.now())
    refunded = 0
    for bounty_id in due.order_by("deadline").values_list("pk", flat=True):
        try:
            refunded += _bounty_refund(bounty_id=bounty_id)
        except Exception:
            logger.exception("Could not return bounty %s", bounty_id)
    return refunded


@transaction.atomic
def _bounty_refund(*, bounty_id: int) -> bool:
    """Idempotent: only an open bounty past its deadline is returned."""
    account, bounty = _locked(bounty_id)
    if bounty.state != Bounty.State.OPEN or bounty.deadline > timezone.now():
        return False
    _refund(account, bounty)
    return True


def _locked(bounty_id: int) -> tuple[PointsAccount, Bounty]:
    """The asker's account, then the bounty, both locked."""
    account = PointsAccount.objects.select_for_update(of=("self",)).get(bounties__pk=bounty_id)
    return account, Bounty.objects.select_for_update().get(pk=bounty_id)


def _refund(account: PointsAccount, bounty: Bounty) -> LedgerEntry:
    refund = ledger.entry_add(
        account=account,
        amount=bounty.points,
        kind=EntryKind.BOUNTY_REFUND,
        key=f"bounty-refund:{bounty.pk}",
        question_id=bounty.question_id,
        bounty=bounty,
    )
    bounty.state = Bounty.State.REFUNDED
    bounty.save(update_fields=["state"])
    return refund
