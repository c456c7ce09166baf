"""What the brand's systems hear of. Each function is called explicitly by the service
that makes the change, inside its transaction: the event is stored with the change (or
not at all), and its deliveries are handed to Celery after commit (webhooks.tasks).

An event is stored only when an active endpoint subscribes to its type, and once per
key, a name derived from the business event, so publishing a post again or running a
service twice sends nothing new."""

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction

from accounts.models import CustomerAccountLink
from community.models import Answer, Question
from rewards.models import PointsAccount, Settlement
from webhooks import payloads, tasks
from webhooks.models import Delivery, Endpoint, Event, EventType


def _subscribers(event_type: str) -> list[int]:
    """The active endpoints that take `event_type`: a handful of rows, filtered here, as
    a JSON list cannot be searched the same way on PostgreSQL and SQLite."""
    endpoints = Endpoint.objects.filter(is_active=True).values_list("pk", "events")
    return [pk for pk, types in endpoints if event_type in types]


def emit(*, event_type: str, key: str, data: Callable[[], dict]) -> Event | None:
    """Stores the event `key` (its data built only if someone subscribes) with one
    delivery per subscribed endpoint, sent after commit. Returns None when nothing was
    stored: no subscriber, or the key was emitted before."""
    endpoints = _subscribers(event_type)
    if not endpoints or Event.objects.filter(key=key).exists():
        return None
    built = data()
    try:
        with transaction.atomic():
            event = Event.objects.create(
                type=event_type, version=payloads.VERSION, key=key, data=built
            )
    except IntegrityError:  # the same key emitted by a parallel transaction
        return None
    event.members.set(set(payloads.member_ids(built)))
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(event=event, endpoint_id=pk, next_attempt_at=event.created_at)
            for pk in endpoints
        ]
    )
    tasks.deliver_on_commit([d.pk for d in deliveries])
    return event


def post_published(post) -> None:
    """A question or an answer became public (posted, or approved by a moderator)."""
    if isinstance(post, Question):
        emit(
            event_type=EventType.QUESTION_ASKED,
            key=f"question.asked:{post.pk}",
            data=lambda: {"question": payloads.of_question(post)},
        )
    elif isinstance(post, Answer) and post.question.is_visible:
        emit(
            event_type=EventType.QUESTION_ANSWERED,
            key=f"question.answered:{post.pk}",
            data=lambda: payloads.question_answered(post),
        )


def answer_accepted(*, answer: Answer, question: Question, by) -> None:
    """Keyed by the question's version as it was locked, which each acceptance bumps,
    like the acceptance's points."""
    emit(
        event_type=EventType.QUESTION_ACCEPTED,
        key=f"question.accepted:{answer.pk}:{question.version}",
        data=lambda: payloads.question_accepted(answer, question=question, by=by),
    )


def question_escalated(*, question: Question, hours: int) -> None:
    """Unanswered past its forum's deadline: handed over to the support team's systems."""
    emit(
        event_type=EventType.QUESTION_ESCALATED,
        key=f"question.escalated:{question.pk}",
        data=lambda: payloads.question_escalated(question, hours=hours),
    )


def flag_raised(*, flag) -> None:
    emit(
        event_type=EventType.FLAG_RAISED,
        key=f"flag.raised:{flag.pk}",
        data=lambda: payloads.flag_raised(flag),
    )


def member_erased(*, user) -> None:
    """Called by the erasure before the member's customer links are erased: the customer
    numbers they verified are sent as pseudonyms, so the CRM erases too."""
    numbers = CustomerAccountLink.objects.filter(user=user, verified_at__isnull=False)
    emit(
        event_type=EventType.MEMBER_ERASED,
        key=f"member.erased:{user.pk}",
        data=lambda: payloads.member_erased(
            member_id=user.pk,
            customer_numbers=list(numbers.values_list("customer_number", flat=True)),
        ),
    )


def settlements_settled(*, settlements: Iterable) -> None:
    """Settlements just confirmed, or failed for good (no attempt left: staff decide).
    A failure is keyed by its last attempt, so one that staff retry can fail again."""
    State = Settlement.State
    done = [
        s
        for s in settlements
        if s.state == State.CONFIRMED or (s.state == State.FAILED and s.next_attempt_at is None)
    ]
    if not done:
        return
    accounts = PointsAccount.objects.filter(pk__in={s.account_id for s in done})
    members = {a.pk: a.user for a in accounts.select_related("user")}
    for s in done:
        if s.state == State.CONFIRMED:
            event_type, key = EventType.SETTLEMENT_CONFIRMED, f"settlement.confirmed:{s.pk}"
        else:
            event_type = EventType.SETTLEMENT_FAILED
            key = f"settlement.failed:{s.pk}:{s.sent_at.timestamp():.0f}"
        emit(
            event_type=event_type,
            key=key,
            data=lambda s=s: payloads.settlement(s, user=members.get(s.account_id)),
        )
