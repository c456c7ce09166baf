"""The only writer of insights.Event: each deflection signal is recorded here, in the
transaction of what caused it, once (the row's key comes from the business event). An
event rewritten or deleted may lie on a day rolled up already: insights.rollups is told
first (events_invalidate).

"Solved for me too" marks and contact-page deflections count at most once per person
(member or visitor hash) and question: the Event constraints hold that, and a signal
they refuse is simply not recorded."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from insights import rollups
from insights.models import Channel, ContactRequest, Event, EventKind, InsightsSettings
from rewards.models import EconomySettings


def _is_staff_answer(answer) -> bool:
    """An erased author (None) counts as a peer, unless the answer was official."""
    author = answer.author
    return answer.is_official or (author is not None and roles.is_staff_member(author))


def _create_once(**fields) -> Event | None:
    """Creates the row in a savepoint. If its key is taken, the row holding it; if the
    once-per-person-and-question rule refuses it, None."""
    try:
        with transaction.atomic():
            return Event.objects.create(**fields)
    except IntegrityError:
        return Event.objects.filter(key=fields["key"]).first()


def _in_probation(*users) -> bool:
    """Whether any of the members joined within the probation period (None: a visitor or
    an erased member, who is not)."""
    since = timezone.now() - timedelta(days=EconomySettings.load().probation_days)
    return any(user is not None and user.date_joined > since for user in users)


def _contact_key(visit: str) -> str:
    return f"contact:{visit}"


def _solution_key(question) -> str:
    return f"solution:{question.pk}"


def _changing(key: str) -> None:
    """The event of `key`, if there is one, is about to be rewritten or deleted."""
    at = Event.objects.filter(key=key).values_list("occurred_at", flat=True).first()
    rollups.events_invalidate(since=at)


@transaction.atomic
def solution_recorded(*, question, answer) -> Event:
    """One row per question: accepting another answer updates it (kind, answer, time)."""
    kind = EventKind.STAFF_SOLUTION if _is_staff_answer(answer) else EventKind.PEER_SOLUTION
    key = _solution_key(question)
    _changing(key)
    event, _created = Event.objects.update_or_create(
        key=key,
        defaults={
            "kind": kind,
            "answer": answer,
            "occurred_at": timezone.now(),
            "question": question,
            "forum_id": question.forum_id,
            "channel": InsightsSettings.load().community_channel,
            "probation": _in_probation(answer.author, question.author),
        },
    )
    return event


@transaction.atomic
def solution_withdrawn(*, question) -> None:
    """The question is no longer solved; a later accept records it anew."""
    key = _solution_key(question)
    _changing(key)
    Event.objects.filter(key=key).delete()


@transaction.atomic
def solved_too_recorded(*, mark, visitor: str = "") -> Event | None:
    """None when this person already counted for the question (e.g. a contact-page
    visit that ended on it)."""
    question = mark.question
    return _create_once(
        key=f"solved_too:{mark.pk}",
        kind=EventKind.SOLVED_TOO,
        occurred_at=mark.created_at,
        question=question,
        answer_id=mark.answer_id,
        forum_id=question.forum_id,
        channel=InsightsSettings.load().community_channel,
        user=mark.user,
        visitor=visitor,
        probation=_in_probation(mark.user),
    )


@transaction.atomic
def widget_solved(*, question, answer, visitor: str) -> Event | None:
    """A visitor said in the answers widget that `answer` solved their problem. None when
    this person already counted for the question (here, or through another door)."""
    try:
        with transaction.atomic():
            return Event.objects.create(
                key=f"widget:{question.pk}:{visitor[:32]}",
                kind=EventKind.WIDGET_SOLVED,
                question=question,
                answer=answer,
                forum_id=question.forum_id,
                channel=InsightsSettings.load().community_channel,
                visitor=visitor,
            )
    except IntegrityError:
        return None


@transaction.atomic
def contact_deflected(*, visit: str, question, user=None, visitor: str = "") -> Event | None:
    """A contact-page visit ended on a community answer. Idempotent per visit (the row
    the visit already has); None when this person already counted for the question."""
    existing = Event.objects.filter(key=_contact_key(visit)).first()
    if existing is not None:
        return existing
    member = user if user is not None and user.is_authenticated else None
    return _create_once(
        key=_contact_key(visit),
        kind=EventKind.CONTACT_DEFLECTED,
        question=question,
        answer_id=question.accepted_answer_id,
        forum_id=question.forum_id,
        channel=Channel.CONTACT_FORM,
        user=member,
        visitor=visitor,
        probation=_in_probation(member),
    )


@transaction.atomic
def contact_submitted(*, visit: str, request: ContactRequest) -> Event:
    """The visit ended in a contact request. A visit that had ended as a deflection turns
    into a submission: the customer still needed help. Locks the visit's row."""
    key = _contact_key(visit)
    event = Event.objects.select_for_update().filter(key=key).first() or _create_once(
        key=key,
        kind=EventKind.CONTACT_SUBMITTED,
        forum_id=request.forum_id,
        channel=Channel.CONTACT_FORM,
        contact_request=request,
        user_id=request.user_id,
    )
    if event.kind != EventKind.CONTACT_SUBMITTED:
        rollups.events_invalidate(since=event.occurred_at)
        event.kind = EventKind.CONTACT_SUBMITTED
        event.contact_request = request
        event.occurred_at = timezone.now()
        event.save(update_fields=["kind", "contact_request", "occurred_at"])
    return event
