"""Helpers for the audit log, sanctions and appeals tests."""

from moderation import audit
from moderation.models import ActionKind, ModerationAction
from notifications.models import Kind, Notification


def hidden_answer(*, author, by, reason: str = "Off-topic advertising") -> ModerationAction:
    """An answer by `author`, hidden by the moderator `by` (set directly, so these tests
    do not depend on the community's visibility code), with its audit row."""
    from community.models import Answer, Visibility
    from tests.factories import make_answer

    answer = make_answer(author=author)
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.HIDDEN)
    answer.visibility = Visibility.HIDDEN
    return audit.action_record(actor=by, kind=ActionKind.HIDE, target=answer, reason=reason)


def moderation_notices(member):
    return Notification.objects.filter(recipient=member, kind=Kind.MODERATION)
