"""Unanswered questions: a visible question without an answer after its forum's
`escalate_after_hours` goes to the support team's queue (Question.escalated_at), the
support leads are told, and the brand's ticketing hears of it (webhooks, the question to
case handover). The staff page reads the queue through the selectors below."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community.models import Answer, Forum, Question, Visibility
from notifications.models import Kind
from notifications.services import notify
from webhooks import events as webhooks

BATCH = 200
# Questions older than the forum's delay plus this are left alone, so the first run
# after a deploy (or after a forum starts escalating) does not escalate the archive.
CATCH_UP = timedelta(days=30)
RECENT = timedelta(days=14)
RECENT_MAX = 20


def escalation_key(*, question_id: int, user_id: int) -> str:
    return f"escalation:{question_id}:{user_id}"


def escalations_run(*, now: datetime | None = None) -> int:
    """Escalates every due question, forum by forum, a batch per transaction, and tells
    the support leads. Idempotent: escalated questions are no longer due. Returns how
    many questions were escalated."""
    now = now or timezone.now()
    leads = list(User.objects.filter(groups__name=roles.SUPPORT_LEADS, is_active=True))
    escalated = 0
    for forum in Forum.objects.filter(escalate_after_hours__gt=0).only("escalate_after_hours"):
        while count := _escalate_batch(forum=forum, now=now, leads=leads):
            escalated += count
    return escalated


@transaction.atomic
def _escalate_batch(*, forum: Forum, now: datetime, leads: list[User]) -> int:
    """Locks the questions, so an answer being written (answer_create locks the question
    too) either lands first, and the question is no longer due, or waits for this."""
    due_before = now - timedelta(hours=forum.escalate_after_hours)
    questions = list(
        Question.objects.select_for_update(of=("self",))
        .filter(
            forum=forum,
            visibility=Visibility.VISIBLE,
            answer_count=0,
            escalated_at__isnull=True,
            created_at__lt=due_before,
            created_at__gte=due_before - CATCH_UP,
        )
        .order_by("pk")[:BATCH]
    )
    # The thread says so: a new version, so no visitor is shown a kept copy without it.
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        escalated_at=now, version=F("version") + 1
    )
    for question in questions:
        question.escalated_at = now
        for lead in leads:
            notify(
                recipient=lead,
                kind=Kind.ESCALATION,
                key=escalation_key(question_id=question.pk, user_id=lead.pk),
                question=question,
                data={"hours": forum.escalate_after_hours},
            )
        webhooks.question_escalated(question=question, hours=forum.escalate_after_hours)
    return len(questions)


def _escalated(forum: Forum | None) -> QuerySet[Question]:
    questions = Question.objects.filter(escalated_at__isnull=False, visibility=Visibility.VISIBLE)
    return questions.filter(forum=forum) if forum else questions


def escalated_unanswered(*, forum: Forum | None = None) -> QuerySet[Question]:
    """Escalated questions nobody has answered yet, oldest first."""
    return (
        _escalated(forum)
        .filter(answer_count=0)
        .select_related("forum", "author")
        .order_by("created_at", "pk")
    )


def escalated_unanswered_count() -> int:
    """The questions still waiting for the support team, for the staff menu."""
    return _escalated(None).filter(answer_count=0).count()


def escalated_recently_answered(*, forum: Forum | None = None, now: datetime | None = None):
    """Escalated questions first answered in the last RECENT, newest answer first, with who
    answered first: `first_answerer` (display name) and `first_answer_official`."""
    since = (now or timezone.now()) - RECENT
    first = Answer.objects.filter(question=OuterRef("pk"), visibility=Visibility.VISIBLE).order_by(
        "created_at", "pk"
    )
    return (
        _escalated(forum)
        # Cheap pre-filter: a first answer since then moved last_activity_at past it.
        .filter(answer_count__gt=0, last_activity_at__gte=since)
        .annotate(
            first_visible_answer_at=Subquery(first.values("created_at")[:1]),
            first_answer_official=Subquery(first.values("is_official")[:1]),
            first_answerer=Subquery(first.values("author__display_name")[:1]),
        )
        .filter(first_visible_answer_at__gte=since)
        .select_related("forum")
        .order_by("-first_visible_answer_at", "-pk")[:RECENT_MAX]
    )
