"""Shared by the moderation tests: members of a trust level, a second moderator, posts."""

from datetime import timedelta

from django.utils import timezone

from moderation import flags
from moderation.models import MemberStanding, ModerationAction, TrustLevel
from tests.factories import UserFactory, make_answer, make_question, roles, with_totp
from tests.rewards.recognition_helpers import LONG_AGO


def trusted(**kwargs):
    """A member a moderator set to the trusted level."""
    user = UserFactory(date_joined=LONG_AGO, **kwargs)
    MemberStanding.objects.create(user=user, trust_override=TrustLevel.TRUSTED)
    return user


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
