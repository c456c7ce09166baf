"""Closing the loop: an asker whose question has answers but no accepted one is reminded,
once, to mark the solution, some days after the first answer."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from community.models import Question, Visibility
from notifications.models import Kind, Notification
from notifications.services import notify

BATCH = 500
# Questions first answered longer ago than the delay plus this are left alone, so the
# first run after a deploy does not remind the whole archive.
CATCH_UP = timedelta(days=30)


def reminder_key(question_id: int) -> str:
    return f"reminder:{question_id}"


def reminders_due(*, now: datetime) -> QuerySet[Question]:
    """Visible open questions of active askers, first answered within the reminder window,
    whose asker was not reminded yet."""
    due_before = now - timedelta(days=settings.PEERDESK["REMINDER_AFTER_DAYS"])
    too_old = due_before - CATCH_UP
    reminded = Notification.objects.filter(question=OuterRef("pk"), kind=Kind.REMINDER)
    return (
        Question.objects.filter(
            visibility=Visibility.VISIBLE,
            status=Question.Status.OPEN,
            answer_count__gt=0,
            author__is_active=True,
            # A cheap pre-filter: the first answer moved last_activity_at past it.
            last_activity_at__gt=too_old,
        )
        .annotate(
            first_visible_answer_at=Min(
                "answers__created_at", filter=Q(answers__visibility=Visibility.VISIBLE)
            )
        )
        .filter(first_visible_answer_at__lte=due_before, first_visible_answer_at__gt=too_old)
        .exclude(Exists(reminded))
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Reminds every due asker, a batch per transaction. Idempotent: the notification key
    is derived from the question, and reminded questions are no longer due. Returns how
    many reminders were written."""
    now = now or timezone.now()
    ids = list(reminders_due(now=now).order_by("pk").values_list("pk", flat=True))
    sent = 0
    for start in range(0, len(ids), BATCH):
        sent += _remind_batch(ids[start : start + BATCH], now=now)
    return sent


@transaction.atomic
def _remind_batch(ids: list[int], *, now: datetime) -> int:
    # Due again: an answer accepted since the ids were read takes its question out.
    questions = reminders_due(now=now).filter(pk__in=ids).select_related("author")
    sent = 0
    for question in questions:
        written = notify(
            recipient=question.author,
            kind=Kind.REMINDER,
            key=reminder_key(question.pk),
            question=question,
            data={"answers": question.answer_count},
        )
        sent += written is not None
    return sent
