"""Appeals: once per decision, by the member it is about, decided by another moderator;
overturning undoes the decision."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import services
from community.models import Answer, Visibility
from core.errors import Conflict
from moderation import actions, cases, sanctions
from moderation.appeals import services as appeals
from moderation.audit import services as audit
from moderation.models import (
    ActionKind,
    Appeal,
    Case,
    CaseSource,
    MemberStanding,
    ModerationAction,
    ModerationSettings,
)
from rewards import services as rewards
from rewards.bounties import services as bounties
from rewards.ledger.check import ledger_differences
from rewards.models import Bounty, EntryKind, FraudHold, LedgerEntry, PointsAccount, Rule
from tests.factories import make_answer, make_question
from tests.moderation.helpers import hidden_answer, moderation_notices
from tests.rewards.abuse_helpers import (
    PAST,
    accept,
    available,
    balance,
    earn,
    economy,
    entries,
    same_household,
    thread,
    veteran,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(member, moderator) -> ModerationAction:
    return sanctions.member_warn(member=member, by=moderator, reason="Be kind.")


def file(action, member, text="I was quoting the rules, not insulting anyone."):
    return appeals.appeal_file(action=action, by=member, text=text)


def test_an_appeal_opens_an_appeal_case_before_ordinary_flags(warning, member):
    appeal = file(warning, member)

    case = Case.objects.get(appeal=appeal)
    assert (case.source, case.state, case.profile) == (CaseSource.APPEAL, "open", member)
    assert cases.Priority.NORMAL < case.priority == cases.Priority.APPEAL
    assert case.priority < cases.Priority.PERSONAL_DATA


def test_a_decision_is_appealed_once(warning, member):
    file(warning, member)

    with pytest.raises(Conflict):
        file(warning, member, text="Once more, with feeling.")
    assert Appeal.objects.count() == 1
    assert Case.objects.filter(source=CaseSource.APPEAL).count() == 1


def test_only_the_member_a_decision_is_about_can_appeal_it(warning, other_member):
    with pytest.raises(PermissionDenied):
        file(warning, other_member)


def test_an_appeal_needs_a_text(warning, member):
    with pytest.raises(ValidationError) as error:
        file(warning, member, text="   ")

    assert "text" in error.value.error_dict


def test_a_trust_level_is_not_appealable(member, moderator):
    action = audit.action_record(actor=moderator, kind=ActionKind.TRUST, target=member)

    with pytest.raises(ValidationError):
        file(action, member)


def test_an_appeal_comes_in_time(warning, member):
    days = ModerationSettings.load().appeal_days
    ModerationAction.objects.filter(pk=warning.pk).update(
        created_at=timezone.now() - timedelta(days=days, minutes=1)
    )
    warning.refresh_from_db()

    with pytest.raises(ValidationError):
        file(warning, member)
    assert not Appeal.objects.exists()


def test_the_acting_moderator_cannot_decide_the_appeal(warning, member, moderator):
    appeal = file(warning, member)

    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(appeal=appeal, by=moderator, overturn=True, note="I was right.")
    assert Appeal.objects.get().state == Appeal.State.OPEN


def test_the_acting_moderator_cannot_claim_the_appeal(warning, member, moderator):
    case = Case.objects.get(appeal=file(warning, member))

    with pytest.raises(PermissionDenied):
        cases.case_claim(case=case, moderator=moderator)


def test_members_cannot_decide_appeals(warning, member, other_member):
    appeal = file(warning, member)

    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(appeal=appeal, by=other_member, overturn=True, note="Sure.")


def test_overturning_a_warning_withdraws_it_and_tells_the_member(warning, member, second_moderator):
    appeal = file(warning, member)

    appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note="Fair point.")

    appeal.refresh_from_db()
    assert (appeal.state, appeal.decided_by) == (Appeal.State.OVERTURNED, second_moderator)
    assert MemberStanding.objects.get(user=member).warnings == 0
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert (row.actor, row.member, row.reason) == (second_moderator, member, "Fair point.")
    assert (row.before["warnings"], row.after["warnings"]) == (1, 0)
    assert Case.objects.get(appeal=appeal).state == Case.State.CLOSED
    assert moderation_notices(member).filter(key=f"moderation:{row.pk}").exists()


def test_upholding_changes_nothing_but_the_appeal(warning, member, second_moderator):
    appeal = file(warning, member)

    appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=False, note="It stands.")

    assert Appeal.objects.get().state == Appeal.State.UPHELD
    assert MemberStanding.objects.get(user=member).warnings == 1
    assert ModerationAction.objects.filter(kind=ActionKind.APPEAL_UPHELD, member=member).exists()
    assert Case.objects.get(appeal=appeal).state == Case.State.CLOSED


def test_an_appeal_is_decided_once(warning, member, second_moderator):
    appeal = file(warning, member)
    appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=False, note="It stands.")

    with pytest.raises(Conflict):
        appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note="Oh.")


def test_a_decision_needs_a_note(warning, member, second_moderator):
    appeal = file(warning, member)

    with pytest.raises(ValidationError):
        appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note=" ")


def test_an_appeal_another_moderator_holds_is_not_decided(warning, member, second_moderator):
    from tests.factories import UserFactory, roles, with_totp

    third = with_totp(UserFactory(role=roles.MODERATORS))
    appeal = file(warning, member)
    cases.case_claim(case=Case.objects.get(appeal=appeal), moderator=third)

    with pytest.raises(Conflict):
        appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note="Yes.")


def test_overturning_a_ban_lifts_it(member, moderator, second_moderator):
    ban = sanctions.member_ban(member=member, by=moderator, reason="Spam bot")

    appeals.appeal_decide(
        appeal=file(ban, member), by=second_moderator, overturn=True, note="Not a bot."
    )

    assert MemberStanding.objects.get(user=member).banned_at is None


def test_overturning_a_suspension_restores_the_one_before(member, moderator, second_moderator):
    week = timezone.now() + timedelta(days=7)
    sanctions.member_suspend(member=member, by=moderator, until=week, reason="Spam")
    longer = sanctions.member_suspend(
        member=member, by=moderator, until=week + timedelta(days=30), reason="Spam again"
    )

    appeals.appeal_decide(
        appeal=file(longer, member), by=second_moderator, overturn=True, note="Too long."
    )

    assert MemberStanding.objects.get(user=member).suspended_until == week


def test_overturning_a_hide_shows_the_post_again(member, moderator, second_moderator):
    hide = hidden_answer(author=member, by=moderator)

    appeals.appeal_decide(
        appeal=file(hide, member), by=second_moderator, overturn=True, note="It was fine."
    )

    assert Answer.objects.get(pk=hide.answer_id).visibility == Visibility.VISIBLE
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert (row.answer_id, row.before, row.after) == (
        hide.answer_id,
        {"visibility": "hidden"},
        {"visibility": "visible"},
    )


def test_overturning_an_edit_puts_the_text_back(member, moderator, second_moderator):
    from moderation import actions

    answer = make_answer(author=member, body="Call the hotline, it helped me.")
    actions.post_edit(
        post=answer, by=moderator, body="[removed by a moderator]", reason="No advice on calls."
    )
    edit = ModerationAction.objects.get(kind=ActionKind.EDIT)

    appeals.appeal_decide(
        appeal=file(edit, member), by=second_moderator, overturn=True, note="Good advice."
    )

    answer.refresh_from_db()
    assert answer.body == "Call the hotline, it helped me."
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert row.before == {"body": "[removed by a moderator]"}
    assert row.after == {"body": "Call the hotline, it helped me."}


def test_overturning_a_lock_opens_the_thread(member, moderator, second_moderator):
    from moderation import actions

    question = make_question(author=member)
    actions.thread_lock(question=question, by=moderator, reason="Heated.")
    lock = ModerationAction.objects.get(kind=ActionKind.LOCK)

    appeals.appeal_decide(
        appeal=file(lock, member), by=second_moderator, overturn=True, note="It calmed down."
    )

    question.refresh_from_db()
    assert question.locked_at is None


def test_overturning_an_old_ban_leaves_a_newer_one(member, moderator, second_moderator):
    old = sanctions.member_ban(member=member, by=moderator, reason="Spam bot")
    sanctions.member_unban(member=member, by=moderator, reason="Mistake?")
    sanctions.member_ban(member=member, by=moderator, reason="Spam bot, really")

    appeals.appeal_decide(
        appeal=file(old, member), by=second_moderator, overturn=True, note="The first was early."
    )

    assert MemberStanding.objects.get(user=member).banned_at is not None


# --- Overturning confirmed abuse gives the points back ------------------------------


@pytest.fixture
def author(economy_defaults):
    return veteran(display_name="Author")


def _earning_answer(author, *, asker=None):
    """An answer accepted (50 points) and given kudos (10 points)."""
    asker = asker or veteran()
    _question, answer = thread(asker=asker, helper=author)
    accept(answer, asker)
    services.vote_cast(user=veteran(), post=answer)
    return answer


def _confirm(answer, moderator, **kwargs) -> ModerationAction:
    actions.abuse_confirm(post=answer, by=moderator, reason="Spam", **kwargs)
    return ModerationAction.objects.get(kind=ActionKind.CONFIRM_ABUSE, answer=answer)


def _overturn(action, member, by, note="Genuine advice, not spam."):
    return appeals.appeal_decide(appeal=file(action, member), by=by, overturn=True, note=note)


def _assert_ledger_consistent():
    assert list(ledger_differences()) == []


def test_overturning_confirmed_abuse_credits_the_reversed_points_again(
    author, moderator, second_moderator
):
    answer = _earning_answer(author)
    abuse = _confirm(answer, moderator)
    assert balance(author) == 0

    _overturn(abuse, author, second_moderator)

    assert Answer.objects.get(pk=answer.pk).visibility == Visibility.VISIBLE
    assert balance(author) == 60
    reversals = LedgerEntry.objects.filter(pk__in=abuse.after["reversals"]).order_by("pk")
    assert len(reversals) == 2
    for reversal in reversals:
        again = entries(author).get(key=f"abuse-overturned:{reversal.pk}")
        earned = reversal.reverses
        assert (again.kind, again.rule, again.amount) == (
            EntryKind.AWARD,
            earned.rule,
            earned.amount,
        )
        assert (again.answer, again.question, again.note) == (
            answer,
            answer.question,
            "Genuine advice, not spam.",
        )
    account = PointsAccount.objects.get(user=author)
    assert (account.lifetime_points, account.accepted_count, account.kudos_count) == (60, 1, 1)
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert (row.before, row.after) == (
        {"visibility": "removed"},
        {"visibility": "visible", "points_restored": 60},
    )
    _assert_ledger_consistent()


def test_restored_points_become_available_when_the_originals_would_have(
    author, moderator, second_moderator
):
    economy(holding_days=0)
    asker = veteran()
    _question, answer = thread(asker=asker, helper=author)
    accept(answer, asker)  # available at once
    economy(holding_days=14)
    services.vote_cast(user=veteran(), post=answer)  # held for 14 days
    abuse = _confirm(answer, moderator)
    before = timezone.now()

    _overturn(abuse, author, second_moderator)

    for reversal_id in abuse.after["reversals"]:
        again = entries(author).get(key=f"abuse-overturned:{reversal_id}")
        original = entries(author).get(reversed_by__pk=reversal_id)
        if original.available_at < before:  # the accept's points: payable already
            assert before <= again.available_at <= timezone.now()
        else:  # the kudos: still in their holding period
            assert again.available_at == original.available_at
    _assert_ledger_consistent()


def test_overturning_abuse_on_a_question_gives_back_the_askers_points(
    author, moderator, second_moderator
):
    question, answer = thread(asker=author, helper=veteran())
    accept(answer, author)  # 5 for the asker
    services.vote_cast(user=veteran(), post=question)  # 10
    actions.abuse_confirm(post=question, by=moderator, reason="Spam")
    abuse = ModerationAction.objects.get(kind=ActionKind.CONFIRM_ABUSE, question=question)
    assert balance(author) == 0

    _overturn(abuse, author, second_moderator)

    assert balance(author) == 15
    assert entries(author, key__startswith="abuse-overturned:").count() == 2
    _assert_ledger_consistent()


def test_deciding_twice_or_retrying_credits_the_points_once(author, moderator, second_moderator):
    answer = _earning_answer(author)
    abuse = _confirm(answer, moderator)
    appeal = file(abuse, author)
    appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note="Fine.")
    count = entries(author).count()

    with pytest.raises(Conflict):
        appeals.appeal_decide(appeal=appeal, by=second_moderator, overturn=True, note="Again.")
    rewards.points_restore_overturned(reversal_ids=abuse.after["reversals"], note="Retry.")

    assert entries(author).count() == count
    assert balance(author) == 60
    _assert_ledger_consistent()


def test_upholding_confirmed_abuse_gives_nothing_back(author, moderator, second_moderator):
    abuse = _confirm(_earning_answer(author), moderator)

    appeals.appeal_decide(
        appeal=file(abuse, author), by=second_moderator, overturn=False, note="It was spam."
    )

    assert balance(author) == 0
    _assert_ledger_consistent()


def test_overturning_gives_back_a_bounty_the_answer_won(author, moderator, second_moderator):
    asker = veteran()
    earn(asker, 200, available_at=PAST)
    question, answer = thread(asker=asker, helper=author)
    bounty = bounties.bounty_offer(question=question, by=asker, points=100, days=7)
    accept(answer, asker)
    abuse = _confirm(answer, moderator)
    assert Bounty.objects.get(pk=bounty.pk).state == Bounty.State.OPEN

    _overturn(abuse, author, second_moderator)

    assert balance(author) == 150
    assert Bounty.objects.get(pk=bounty.pk).state == Bounty.State.AWARDED
    won = entries(author, kind=EntryKind.BOUNTY_WON, reversed_by__isnull=True).get()
    assert (won.amount, won.bounty, won.answer) == (100, bounty, answer)
    assert won.key.startswith("abuse-overturned:")
    assert balance(asker) == 105  # 200 - 100 staked + 5 for accepting: nothing paid twice
    _assert_ledger_consistent()


def test_a_bounty_returned_to_the_asker_meanwhile_is_not_paid_twice(
    author, moderator, second_moderator
):
    asker = veteran()
    earn(asker, 200, available_at=PAST)
    question, answer = thread(asker=asker, helper=author)
    bounty = bounties.bounty_offer(question=question, by=asker, points=100, days=7)
    accept(answer, asker)
    abuse = _confirm(answer, moderator)
    Bounty.objects.filter(pk=bounty.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert bounties.bounty_refund_due() == 1

    _overturn(abuse, author, second_moderator)

    assert balance(author) == 50  # the accept's points, not the bounty
    assert balance(asker) == 205
    assert Bounty.objects.get(pk=bounty.pk).state == Bounty.State.REFUNDED
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert (row.after["points_restored"], row.after["points_not_restored"]) == (50, 100)
    _assert_ledger_consistent()


def test_points_whose_cause_went_meanwhile_stay_reversed(author, moderator, second_moderator):
    answer = _earning_answer(author)
    voter = veteran()
    services.vote_cast(user=voter, post=answer)  # 10 more
    abuse = _confirm(answer, moderator)
    # While the answer is removed, its asker withdraws the accept and a voter the kudos.
    services.answer_unaccept(question=answer.question, by=answer.question.author)
    services.vote_withdraw(user=voter, post=answer)

    _overturn(abuse, author, second_moderator)

    assert balance(author) == 10  # the kudos that still stands
    row = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert (row.after["points_restored"], row.after["points_not_restored"]) == (10, 60)
    _assert_ledger_consistent()


def test_held_points_given_back_go_back_to_fraud_review(author, moderator, second_moderator):
    asker = veteran()
    same_household(asker, author)
    answer = _earning_answer(author, asker=asker)
    abuse = _confirm(answer, moderator)

    _overturn(abuse, author, second_moderator)

    accepted = entries(author, kind=EntryKind.AWARD, rule=Rule.ANSWER_ACCEPTED, reversed_by=None)
    hold = FraudHold.objects.get(entry=accepted.get())
    assert (hold.state, hold.counterpart, hold.reason) == ("open", asker, "household")
    assert available(author) == 0
    _assert_ledger_consistent()


def test_overturning_leaves_a_purged_members_other_posts_and_their_points_removed(
    author, moderator, second_moderator
):
    answer = _earning_answer(author)
    other = _earning_answer(author)
    abuse = _confirm(answer, moderator, purge_member=True)
    assert balance(author) == 0

    _overturn(abuse, author, second_moderator)

    # The purge is its own decision: this appeal brings back the one post and its points.
    assert Answer.objects.get(pk=answer.pk).visibility == Visibility.VISIBLE
    assert Answer.objects.get(pk=other.pk).visibility == Visibility.REMOVED
    assert balance(author) == 60
    assert not entries(author, answer=other, kind=EntryKind.AWARD, reversed_by=None).exists()
    _assert_ledger_consistent()
