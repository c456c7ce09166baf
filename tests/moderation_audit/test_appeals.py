"""Appeals: once per decision, by the member it is about, decided by another moderator;
overturning undoes the decision."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import Answer, Visibility
from config.errors import Conflict
from moderation import appeals, audit, cases, sanctions
from moderation.models import (
    ActionKind,
    Appeal,
    Case,
    CaseSource,
    MemberStanding,
    ModerationAction,
    ModerationSettings,
)
from tests.factories import make_answer, make_question
from tests.moderation_audit.helpers import hidden_answer, moderation_notices

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
