"""Moderation in the demo: watched words, a post held for review, flagged posts in the
queue, and a warning with an appeal, all made through the services."""

from allauth.account.models import EmailAddress

from accounts.models import User
from community import services as community
from community.models import Answer, Question
from demo.people import DEMO_PASSWORD
from moderation import sanctions
from moderation.appeals import services as appeals
from moderation.flags import services as flags
from moderation.models import FlagReason, WatchedWord
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services

NEWCOMER_EMAIL = "neu@example.com"
WATCHED_WORDS = [
    WatchedWord(word="casino*", action=WatchedWord.Action.HOLD),
    WatchedWord(word="idiot*", action=WatchedWord.Action.REPLACE, replacement="***"),
    WatchedWord(word="viagra", action=WatchedWord.Action.BLOCK),
]


def _newcomer() -> User:
    """A member who signed up today, still in probation."""
    user = User.objects.create_user(NEWCOMER_EMAIL, DEMO_PASSWORD, display_name="Neu_hier")
    EmailAddress.objects.create(user=user, email=NEWCOMER_EMAIL, verified=True, primary=True)
    privacy_services.consents_record_signup(
        user=user, granted_keys=privacy_selectors.required_keys()
    )
    return user


def demo_moderation(*, users: dict[str, User]) -> None:
    """`users` by demo handle."""
    WatchedWord.objects.bulk_create(WATCHED_WORDS)
    newcomer = _newcomer()
    # A newcomer's answer with a link waits for review.
    community.answer_create(
        question=Question.objects.latest("created_at"),
        author=newcomer,
        body="Try this tool, it fixed it for me: https://example.com/speed-booster",
    )
    # ... and their comment with a phone number is flagged: hidden at once, first in the queue.
    comment = community.comment_create(
        answer=Answer.objects.filter(author=users["rudi"]).latest("created_at"),
        author=newcomer,
        body="Same here. Call me on 0170 1234567 and I will explain it.",
    )
    flags.flag_create(
        flagger=users["tom"],
        target=comment,
        reason=FlagReason.PERSONAL_DATA,
        text="A phone number.",
    )
    # Two members think an answer is off-topic: it waits in the queue.
    answer = Answer.objects.filter(author=users["lukas"]).order_by("created_at").first()
    for handle in ("mareike", "eva"):
        flags.flag_create(
            flagger=users[handle], target=answer, reason=FlagReason.OFF_TOPIC, text=""
        )
    warning = sanctions.member_warn(
        member=users["kaiuwe"],
        by=users["carla.mod"],
        reason="Please stay friendly, even when the hotline is not.",
    )
    appeals.appeal_file(
        action=warning, by=users["kaiuwe"], text="I was quoting the hotline, not insulting anyone."
    )
