"""The audit log: one row per action, about the right member, who hears of it."""

import pytest

from moderation.audit import services as audit
from moderation.models import ActionKind, ModerationAction
from tests.factories import make_answer
from tests.moderation.helpers import moderation_notices

pytestmark = pytest.mark.django_db


def test_an_action_on_a_post_is_about_its_author(member, moderator):
    answer = make_answer(author=member)

    action = audit.action_record(
        actor=moderator, kind=ActionKind.HIDE, target=answer, reason="Spam link"
    )

    action.refresh_from_db()
    assert (action.member, action.answer, action.actor) == (member, answer, moderator)
    assert action.target_kind == "answer"


def test_the_author_is_told_with_the_reason_and_a_link_to_the_decision(member, moderator):
    answer = make_answer(author=member)

    action = audit.action_record(
        actor=moderator, kind=ActionKind.HIDE, target=answer, reason="Spam link"
    )

    notice = moderation_notices(member).get()
    assert notice.key == f"moderation:{action.pk}"
    assert notice.data["action"] == "hide"
    assert notice.data["reason"] == "Spam link"
    assert notice.data["url"] == f"/moderation/{action.pk}/"
    # The thread is named (its title is what the member recognises); the moderator is not.
    assert (notice.question, notice.answer, notice.actor) == (answer.question, answer, None)


def test_dismissing_flags_tells_the_author_nothing(member, moderator):
    answer = make_answer(author=member)

    audit.action_record(actor=moderator, kind=ActionKind.DISMISS, target=answer)

    assert ModerationAction.objects.filter(kind=ActionKind.DISMISS).count() == 1
    assert not moderation_notices(member).exists()


def test_an_action_on_a_profile_is_about_its_owner(member, moderator):
    action = audit.action_record(actor=moderator, kind=ActionKind.WARN, target=member)

    assert (action.member, action.profile) == (member, member)
