"""Staff review of points held as suspicious (rewards.fraud.detection): release them to
the member, or reverse them. Holds are shown and decided per pair of members, the one credited and
the counterpart whose action credited them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.errors import Conflict
from core.text import clean_text
from rewards.bounties import services as bounties
from rewards.ledger import services as ledger
from rewards.models import EntryKind, FraudHold


def require_reviewer(user) -> None:
    if not roles.is_moderator(user):
        raise PermissionDenied(_("Only moderators and community managers review held points."))


def _decide(hold: FraudHold, state: str, *, by) -> FraudHold:
    hold.state, hold.decided_by, hold.decided_at = state, by, timezone.now()
    hold.save(update_fields=["state", "decided_by", "decided_at"])
    return hold


@transaction.atomic
def fraud_hold_release(*, hold: FraudHold, by) -> FraudHold:
    """Makes the held points count as available (after their holding period). Locks the
    hold. Releasing a released hold changes nothing; a reversed one cannot be released."""
    require_reviewer(by)
    hold = FraudHold.objects.select_for_update().get(pk=hold.pk)
    if hold.state == FraudHold.State.RELEASED:
        return hold
    if hold.state != FraudHold.State.OPEN:
        raise Conflict(_("These points were reversed already; they cannot be released."))
    return _decide(hold, FraudHold.State.RELEASED, by=by)


@transaction.atomic
def fraud_hold_reverse(*, hold: FraudHold, by, note: str = "") -> FraudHold:
    """Writes the reversal of the held entry, with `note` (the member sees it in their
    points history); a bounty win's stake goes back to the asker in the same transaction
    (rewards.bounties.services.bounty_on_win_reversed). Locks the member's account and a
    bounty's asker's (pk order), then the hold, then the bounty.
    Reversing a reversed hold changes nothing; a released one cannot be reversed here
    (a moderator reverses released points for abuse like any other points)."""
    require_reviewer(by)
    accounts = FraudHold.objects.values_list("entry__account_id", "entry__bounty__account_id")
    ledger.accounts_lock(*accounts.get(pk=hold.pk))
    hold = FraudHold.objects.select_for_update().select_related("entry").get(pk=hold.pk)
    if hold.state == FraudHold.State.REVERSED:
        return hold
    if hold.state != FraudHold.State.OPEN:
        raise Conflict(_("These points were released already; they cannot be reversed here."))
    ledger.entry_reverse(entry=hold.entry, note=clean_text(note))
    if hold.entry.kind == EntryKind.BOUNTY_WON:
        bounties.bounty_on_win_reversed(won=hold.entry)
    return _decide(hold, FraudHold.State.REVERSED, by=by)


@transaction.atomic
def fraud_holds_release(*, holds, by) -> int:
    """Releases several holds (a pair's) in one transaction; returns how many."""
    require_reviewer(by)
    holds = list(holds)
    for hold in holds:
        fraud_hold_release(hold=hold, by=by)
    return len(holds)


@transaction.atomic
def fraud_holds_reverse(*, holds, by, note: str = "") -> int:
    """Reverses several holds (a pair's) in one transaction; returns how many."""
    require_reviewer(by)
    holds = list(holds)
    for hold in holds:
        fraud_hold_reverse(hold=hold, by=by, note=note)
    return len(holds)
