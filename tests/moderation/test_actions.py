"""Each moderator action: its effect, its audit row (before and after), the case it
closes; spam confirmed takes back the points; a redaction leaves no data behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import services
from community.models import Answer, Question, Revision, Visibility
from core.errors import Conflict
from moderation import actions, cases
from moderation.models import ActionKind, Case, CaseSource, MemberStanding
from rewards.bounties import services as bounties
from rewards.models import Bounty, EntryKind, LedgerEntry
from tests.factories import ForumFactory, make_question
from tests.moderation.helpers import actions_of, another_moderator, answered, flag
from tests.rewards.abuse_helpers import (
    PAST,
    accept,
    assert_ledger_ok,
    balance,
    earn,
    thread,
    veteran,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(member):
    return answered(author=member)[1]


@pytest.fixture
def case(answer):
    return flag(answer).case


def _closed(case) -> bool:
    case.refresh_from_db()
    return case.state == Case.State.CLOSED


def _visibility(post) -> str:
    post.refresh_from_db()
    return post.visibility


def test_members_cannot_act(answer, member, other_member):
    with pytest.raises(PermissionDenied):
        actions.post_hide(post=answer, by=other_member, reason="Spam")

    assert _visibility(answer) == Visibility.VISIBLE


def test_hiding_tells_the_author_why_and_closes_the_case(answer, case, moderator, member):
    actions.post_hide(post=answer, by=moderator, reason="Advertising", case=case)

    answer.refresh_from_db()
    assert (answer.visibility, answer.moderation_note) == (Visibility.HIDDEN, "Advertising")
    row = actions_of(ActionKind.HIDE).get()
    assert (row.actor, row.member, row.case, row.answer, row.reason) == (
        moderator,
        member,
        case,
        answer,
        "Advertising",
    )
    assert (row.before, row.after) == ({"visibility": "visible"}, {"visibility": "hidden"})
    assert _closed(case)


def test_hiding_needs_a_reason(answer, moderator):
    with pytest.raises(ValidationError):
        actions.post_hide(post=answer, by=moderator, reason=" ")


def test_acting_on_a_case_another_moderator_holds_changes_nothing(answer, case, moderator):
    cases.case_claim(case=case, moderator=another_moderator())

    with pytest.raises(Conflict):
        actions.post_delete(post=answer, by=moderator, reason="Spam", case=case)

    assert _visibility(answer) == Visibility.VISIBLE
    assert not actions_of(ActionKind.DELETE).exists()


def test_acting_on_a_closed_case_is_a_conflict(answer, case, moderator):
    actions.case_dismiss(case=case, by=moderator)

    with pytest.raises(Conflict):
        actions.post_hide(post=answer, by=another_moderator(), reason="Spam", case=case)


def test_a_case_is_acted_on_only_with_its_own_post(case, moderator):
    with pytest.raises(ValidationError):
        actions.post_hide(post=answered()[1], by=moderator, reason="Spam", case=case)


def test_dismissing_shows_again_a_post_the_flags_hid(answer, moderator):
    case = flag(answer, "personal_data").case
    assert _visibility(answer) == Visibility.HIDDEN

    actions.case_dismiss(case=case, by=moderator, reason="No personal data in it")

    assert _visibility(answer) == Visibility.VISIBLE
    row = actions_of(ActionKind.DISMISS).get()
    assert (row.before, row.after) == ({"visibility": "hidden"}, {"visibility": "visible"})
    assert _closed(case)


def test_dismissing_leaves_a_post_a_moderator_hid_hidden(answer, moderator):
    actions.post_hide(post=answer, by=moderator, reason="Off-topic")
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.VISIBLE)
    case = flag(answer).case
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.HIDDEN)

    actions.case_dismiss(case=case, by=moderator)

    assert _visibility(answer) == Visibility.HIDDEN


def test_approving_a_held_post_puts_it_online(answer, moderator):
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.PENDING)
    case = cases.case_open(target=answer, source=CaseSource.HELD, note="A link")

    actions.post_approve(post=answer, by=moderator, case=case)

    assert _visibility(answer) == Visibility.VISIBLE
    assert actions_of(ActionKind.APPROVE).get().after == {"visibility": "visible"}
    assert _closed(case)


def test_only_held_posts_can_be_approved(answer, moderator):
    with pytest.raises(ValidationError):
        actions.post_approve(post=answer, by=moderator)


def test_held_cases_are_approved_or_removed_not_dismissed(answer, moderator):
    case = cases.case_open(target=answer, source=CaseSource.HELD, note="A link")

    with pytest.raises(ValidationError):
        actions.case_dismiss(case=case, by=moderator)


def test_restoring_a_removed_post(answer, moderator):
    actions.post_delete(post=answer, by=moderator, reason="Spam")

    actions.post_restore(post=answer, by=moderator, reason="It was not spam")

    assert _visibility(answer) == Visibility.VISIBLE
    assert actions_of(ActionKind.RESTORE).get().before == {"visibility": "removed"}


def test_deleting_removes_the_post(answer, case, moderator):
    actions.post_delete(post=answer, by=moderator, reason="Spam", case=case)

    assert _visibility(answer) == Visibility.REMOVED
    assert actions_of(ActionKind.DELETE).get().after == {"visibility": "removed"}
    assert _closed(case)


def test_editing_keeps_the_old_text_in_the_audit_row_and_tells_the_author(answer, case, moderator):
    old = answer.body

    actions.post_edit(
        post=answer, by=moderator, body="A kinder answer, edited.", reason="Rude", case=case
    )

    answer.refresh_from_db()
    assert (answer.body, answer.moderation_note) == ("A kinder answer, edited.", "Rude")
    row = actions_of(ActionKind.EDIT).get()
    assert (row.before, row.after) == ({"body": old}, {"body": "A kinder answer, edited."})
    assert _closed(case)


def test_redacting_personal_data_purges_the_history_and_keeps_no_data(member, moderator):
    phone = "+49 170 1234567"
    question = make_question(author=member, body=f"Call me on {phone} about the router please.")
    services.question_edit(
        question=question, by=member, title=question.title, body=f"Really: {phone}, call me today."
    )
    case = flag(question, "personal_data").case
    assert Revision.objects.filter(question=question).exists()

    actions.post_redact(
        post=question,
        by=moderator,
        title=question.title,
        body="Call me about the router please.",
        reason="Phone number removed",
        case=case,
    )

    question.refresh_from_db()
    assert phone not in question.body
    assert question.visibility == Visibility.VISIBLE
    assert not Revision.objects.filter(question=question).exists()
    row = actions_of(ActionKind.REDACT).get()
    assert phone not in str(row.before) + str(row.after) + row.reason
    assert row.after["revisions_purged"] >= 2
    assert _closed(case)


def test_locking_and_unlocking_a_thread(moderator):
    question = answered()[0]

    actions.thread_lock(question=question, by=moderator, reason="Heated")
    question.refresh_from_db()
    assert question.locked_at is not None
    with pytest.raises(ValidationError):
        actions.thread_lock(question=question, by=moderator)

    actions.thread_unlock(question=question, by=moderator)

    question.refresh_from_db()
    assert question.locked_at is None
    assert actions_of(ActionKind.LOCK).get().after == {"locked": True}
    assert actions_of(ActionKind.UNLOCK).get().before == {"locked": True}


def test_moving_a_thread_to_another_forum(moderator, forum):
    question = make_question(forum=forum)
    internet = ForumFactory(slug="internet")
    case = flag(question, "off_topic").case

    actions.thread_move(question=question, by=moderator, forum=internet, case=case)

    question.refresh_from_db()
    assert question.forum == internet
    row = actions_of(ActionKind.MOVE).get()
    assert (row.before, row.after) == ({"forum": "mobilfunk"}, {"forum": "internet"})
    assert _closed(case)


def test_warning_the_author_from_a_case_keeps_it_open(answer, case, moderator, member):
    actions.member_sanction(member=member, by=moderator, kind="warn", reason="Be nice", case=case)

    assert MemberStanding.objects.get(user=member).warnings == 1
    row = actions_of(ActionKind.WARN).get()
    assert (row.member, row.case) == (member, case)
    assert not _closed(case)


def test_suspending_needs_a_number_of_days(answer, moderator, member):
    with pytest.raises(ValidationError):
        actions.member_sanction(member=member, by=moderator, kind="suspend", reason="Spam")

    actions.member_sanction(member=member, by=moderator, kind="suspend", reason="Spam", days=7)

    assert MemberStanding.objects.get(user=member).suspended_until is not None


# --- Spam or abuse confirmed ------------------------------------------------------------


@pytest.fixture
def spammer():
    return veteran(display_name="Spammer")


def _earning_answer(spammer, asker=None):
    """An answer accepted and given kudos: 50 + 10 points for the spammer."""
    asker = asker or veteran()
    _question, answer = thread(asker=asker, helper=spammer)
    accept(answer, asker)
    services.vote_cast(user=veteran(), post=answer)
    return answer


def test_confirming_spam_removes_the_post_and_takes_back_its_points(spammer, moderator):
    answer = _earning_answer(spammer)
    kept = _earning_answer(spammer)
    case = flag(answer).case
    assert balance(spammer) == 120

    actions.abuse_confirm(post=answer, by=moderator, reason="Spam", case=case)

    assert _visibility(answer) == Visibility.REMOVED
    assert _visibility(kept) == Visibility.VISIBLE
    assert balance(spammer) == 60
    reversals = LedgerEntry.objects.filter(kind=EntryKind.REVERSAL, answer=answer)
    assert actions_of(ActionKind.CONFIRM_ABUSE).get().after == {
        "visibility": "removed",
        "points_reversed": 60,
        "reversals": sorted(reversals.values_list("pk", flat=True)),
    }
    assert _closed(case)
    assert_ledger_ok(spammer)


def test_confirming_twice_takes_the_points_back_once(spammer, moderator):
    answer = _earning_answer(spammer)

    actions.abuse_confirm(post=answer, by=moderator, reason="Spam")
    actions.abuse_confirm(post=answer, by=moderator, reason="Spam")

    assert balance(spammer) == 0


def test_purging_a_member_removes_all_their_posts_and_points(spammer, moderator):
    answers = [_earning_answer(spammer) for _ in range(2)]
    question = make_question(author=spammer)
    comment = services.comment_create(answer=answered()[1], author=spammer, body="Buy cheap now")
    other_case = flag(answers[1]).case
    case = flag(answers[0]).case

    actions.abuse_confirm(
        post=answers[0], by=moderator, reason="Spam", case=case, purge_member=True, sanction="ban"
    )

    for post in (*answers, question, comment):
        assert _visibility(post) == Visibility.REMOVED
    assert balance(spammer) == 0
    purge = actions_of(ActionKind.PURGE).get()
    assert (purge.profile, purge.member) == (spammer, spammer)
    assert purge.after == {"questions": 1, "answers": 1, "comments": 1, "points_reversed": 60}
    assert _closed(other_case) and _closed(case)
    assert MemberStanding.objects.get(user=spammer).banned_at is not None
    assert_ledger_ok(spammer)


def test_a_bounty_the_spam_answer_won_goes_back_to_its_question(spammer, moderator):
    asker = veteran()
    earn(asker, 200, available_at=PAST)
    question, answer = thread(asker=asker, helper=spammer)
    bounty = bounties.bounty_offer(question=question, by=asker, points=100, days=7)
    accept(answer, asker)
    assert balance(spammer) == 150

    actions.abuse_confirm(post=answer, by=moderator, reason="Spam")

    assert balance(spammer) == 0
    bounty.refresh_from_db()
    assert bounty.state == Bounty.State.OPEN
    assert actions_of(ActionKind.CONFIRM_ABUSE).get().after["points_reversed"] == 150
    assert_ledger_ok(spammer, asker)


def test_comments_earn_nothing_to_take_back(moderator):
    comment = services.comment_create(answer=answered()[1], author=veteran(), body="Spam, spam")

    actions.abuse_confirm(post=comment, by=moderator, reason="Spam")

    assert _visibility(comment) == Visibility.REMOVED
    assert actions_of(ActionKind.CONFIRM_ABUSE).get().after["points_reversed"] == 0


# --- The thread tools and the case page's forms ------------------------------------------


def test_moderators_see_the_thread_tools_and_members_do_not(client, moderator, member):
    question = answered()[0]
    client.force_login(moderator)
    assert b"Lock thread" in client.get(question.get_absolute_url()).content
    client.force_login(member)
    assert b"Lock thread" not in client.get(question.get_absolute_url()).content


def test_locking_from_the_question_page(client, moderator):
    question = answered()[0]
    client.force_login(moderator)

    response = client.post(reverse("moderation:thread_lock", args=[question.pk]))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.locked_at is not None


def test_moving_from_the_question_page(client, moderator, forum):
    question = make_question(forum=ForumFactory())
    client.force_login(moderator)

    client.post(reverse("moderation:thread_move", args=[question.pk]), {"forum": forum.pk})

    question.refresh_from_db()
    assert question.forum == forum


def test_members_cannot_use_the_thread_tools(member_client):
    question = answered()[0]

    response = member_client.post(reverse("moderation:thread_lock", args=[question.pk]))

    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).locked_at is None


def test_editing_from_the_case_page_shows_errors_next_to_the_fields(client, moderator, case):
    client.force_login(moderator)

    response = client.post(
        reverse("moderation:act", args=[case.pk, "edit"]), {"body": "", "reason": ""}
    )

    assert response.status_code == 400
    assert not _closed(case)


def test_confirming_abuse_from_the_case_page(client, moderator, case, answer):
    client.force_login(moderator)

    response = client.post(
        reverse("moderation:act", args=[case.pk, "abuse"]),
        {"reason": "Spam", "purge_member": "on", "sanction": "warn"},
    )

    assert response.status_code == 302
    assert _visibility(answer) == Visibility.REMOVED
    assert actions_of(ActionKind.WARN).exists()
