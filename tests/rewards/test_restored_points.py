"""A credit given back after an overturned decision behaves like the award it restores."""

import pytest

from community import services
from moderation import actions
from moderation.appeals import services as appeals
from moderation.models import ActionKind, Appeal, ModerationAction
from rewards.ledger.check import ledger_differences
from rewards.models import LedgerEntry, PointsAccount
from tests.factories import UserFactory, make_answer, roles, with_totp
from tests.rewards.recognition_helpers import LONG_AGO

pytestmark = pytest.mark.django_db


def balance(user) -> int:
    return PointsAccount.objects.get(user=user).balance


def test_withdrawing_kudos_after_points_were_restored_takes_them_back_once():
    # Given kudos whose points were reversed as abuse, then given back on appeal
    author, voter = UserFactory(date_joined=LONG_AGO), UserFactory(date_joined=LONG_AGO)
    first, second = (with_totp(UserFactory(role=roles.MODERATORS)) for _ in range(2))
    answer = make_answer(author=author)
    services.vote_cast(user=voter, post=answer)
    actions.abuse_confirm(post=answer, by=first, reason="Spam.")
    confirmed = ModerationAction.objects.get(kind=ActionKind.CONFIRM_ABUSE, answer=answer)
    appeal = appeals.appeal_file(action=confirmed, by=author, text="It was no spam.")
    appeal = appeals.appeal_decide(appeal=appeal, by=second, overturn=True, note="Not spam.")
    assert appeal.state == Appeal.State.OVERTURNED
    restored = balance(author)  # the kudos and the quick-answer bonus, given back

    # When the voter withdraws and gives the kudos again
    services.vote_withdraw(user=voter, post=answer)
    assert balance(author) == restored - 10
    services.vote_cast(user=voter, post=answer)

    # Then the author holds the points of one kudos, not two
    assert balance(author) == restored
    assert LedgerEntry.objects.filter(restores__reverses__key__startswith="kudos:").count() == 1
    assert list(ledger_differences()) == []
