"""Shared by the abuse, fraud review, household and bounty tests."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from community import services
from rewards.fraud import household
from rewards.models import FraudHold, LedgerEntry, PointsAccount
from tests.factories import make_answer, make_question
from tests.rewards.recognition_helpers import LONG_AGO, earn, veteran
from tests.rewards.settlement_helpers import economy

__all__ = ["LONG_AGO", "earn", "economy", "veteran"]

PAST = timezone.now() - timedelta(days=30)


def same_household(
    *users, ip: str = "84.150.12.34", browser: str = "Mozilla/5.0 Firefox/128.0"
) -> None:
    """The members were seen on one network, with one browser."""
    for user in users:
        household.household_record(user=user, ip=ip, user_agent=browser, accept_language="de-DE")


def thread(*, asker, helper, forum=None):
    """An answered question, old enough that the answer earns no first-answer bonus."""
    question = make_question(author=asker, forum=forum)
    question.created_at = timezone.now() - timedelta(days=1)
    question.save(update_fields=["created_at"])
    return question, make_answer(question=question, author=helper)


def accept(answer, by):
    return services.answer_accept(answer=answer, by=by)


def balance(user) -> int:
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def available(user) -> int:
    """Counted independently of the code under test: due and not under an open hold."""
    return (
        LedgerEntry.objects.filter(account__user=user, available_at__lte=timezone.now())
        .exclude(hold__state=FraudHold.State.OPEN)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )


def entries(user, **filters):
    return LedgerEntry.objects.filter(account__user=user, **filters).order_by("pk")


def assert_ledger_ok(*users) -> None:
    for user in users:
        account = PointsAccount.objects.filter(user=user).first()
        if account is not None:
            assert account.balance == account.entries.aggregate(total=Sum("amount"))["total"]
