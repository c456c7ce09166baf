"""Shared by the moderation tests: members of a trust level and its limits, a second
moderator, posts, flags, the audit log and what members are told."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from community.models import Answer, Visibility
from moderation.audit import services as audit
from moderation.flags import services as flags
from moderation.models import (
    ActionKind,
    MemberStanding,
    ModerationAction,
    TrustLevel,
    TrustLevelRule,
)
from notifications.models import Kind, Notification
from tests.factories import UserFactory, make_answer, make_question, roles, with_totp
from tests.rewards.recognition_helpers import LONG_AGO


def trusted_as(level: TrustLevel = TrustLevel.TRUSTED, **kwargs):
    """A member past probation whose trust level a moderator set."""
    kwargs.setdefault("date_joined", LONG_AGO)
    user = UserFactory(**kwargs)
    MemberStanding.objects.create(user=user, trust_override=level)
    return user


def set_limits(level: TrustLevel, **limits) -> None:
    """Changes a trust level's rule (an update() sends no signal: the cached rules go too)."""
    TrustLevelRule.objects.filter(level=level).update(**limits)
    cache.clear()


def another_moderator(name: str = "Mia Moderator"):
    return with_totp(UserFactory(display_name=name, role=roles.MODERATORS))


def answered(*, forum=None, author=None):
    """A question by one member answered by another (the answer's author is `author`)."""
    question = make_question(forum=forum)
    return question, make_answer(question=question, author=author or UserFactory())


def flag(target, reason="spam", *, by=None, text=""):
    return flags.flag_create(flagger=by or UserFactory(), target=target, reason=reason, text=text)


def actions_of(kind: str):
    return ModerationAction.objects.filter(kind=kind).order_by("pk")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def hidden_answer(*, author, by, reason: str = "Off-topic advertising") -> ModerationAction:
    """An answer by `author`, hidden by the moderator `by` (set directly, so these tests
    do not depend on the community's visibility code), with its audit row."""
    answer = make_answer(author=author)
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.HIDDEN)
    answer.visibility = Visibility.HIDDEN
    return audit.action_record(actor=by, kind=ActionKind.HIDE, target=answer, reason=reason)


def moderation_notices(member):
    return Notification.objects.filter(recipient=member, kind=Kind.MODERATION)
