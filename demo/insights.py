"""A living year for the deflection dashboard of the demo (`make run`).

The demo threads are written through the services, which record their solutions and
marks "now"; the threads are then moved into the past, so their events follow them
here. Contact-page visits are added over the last 12 months through insights.events,
more each month as the community grows: before any demo question was solved every
visit ends in a request to support, afterwards most end on a community answer. Every
request is stored and forwarded; those past the retention period are purged, as the
sweep would have done."""

import random
import uuid
from datetime import datetime, timedelta

from django.apps import apps
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from community.models import Forum, Question, SolvedToo, Visibility
from insights import events
from insights.backfill import events_backfill
from insights.contact.forwarding import contacts_purge
from insights.models import ContactRequest, Event, EventKind
from privacy.visitors import visitor_hash

SEED = 2026
VISITS = 140  # contact-page visits in the year
DAYS = 365
DEFLECTED = 0.6  # of the visits once solved questions exist to suggest
WIDGET_SOLVED = 40  # "this solved my problem" in the answers widget, in the year
# (language, subject, message) of the requests; the senders are placeholder names.
REQUESTS = (
    ("de", "Rechnung doppelt abgebucht", "Im Oktober wurde meine Rechnung zweimal abgebucht."),
    ("de", "Router blinkt rot", "Seit heute Morgen blinkt die DSL-Lampe rot, kein Internet."),
    ("de", "Umzug: Anschluss mitnehmen", "Ich ziehe am 1. nach Köln. Was muss ich tun?"),
    ("de", "SIM-Karte gesperrt", "Nach dreimal falscher PIN ist meine SIM gesperrt."),
    ("de", "Kündigung bestätigen", "Bitte bestätigen Sie meine Kündigung zum Vertragsende."),
    ("de", "Kein Empfang im Büro", "Im Büro habe ich seit einer Woche kaum Netz."),
    ("en", "Roaming charges in Switzerland", "I was charged for roaming in Zurich. Why?"),
    ("en", "eSIM transfer to a new phone", "How do I move my eSIM to my new phone?"),
    ("en", "Change my billing address", "I moved and need a new billing address."),
)
SENDERS = (
    "Erika Mustermann",
    "Max Mustermann",
    "Otto Normalverbraucher",
    "Lieschen Müller",
    "Maria Musterfrau",
    "John Doe",
    "Jane Roe",
)


def demo_insights(*, now: datetime) -> None:
    events_backfill(apps)
    _events_follow_threads()
    _contact_visits(now=now, rng=random.Random(SEED))
    _widget_solved(now=now, rng=random.Random(SEED))


def _events_follow_threads() -> None:
    """A solution at its accepted answer's time (the estimate insights.backfill makes),
    a mark at the mark's."""
    accepted = Question.objects.filter(pk=OuterRef("question_id"))
    Event.objects.filter(kind__in=(EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION)).update(
        occurred_at=Subquery(accepted.values("accepted_answer__created_at")[:1])
    )
    marks = SolvedToo.objects.annotate(
        key=Concat(Value("solved_too:"), Cast("pk", CharField()), output_field=CharField())
    )
    Event.objects.filter(kind=EventKind.SOLVED_TOO).update(
        occurred_at=Subquery(marks.filter(key=OuterRef("key")).values("created_at")[:1])
    )


def _contact_visits(*, now: datetime, rng: random.Random) -> None:
    solved = list(
        Event.objects.filter(
            kind__in=(EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION),
            question__visibility=Visibility.VISIBLE,
        )
        .select_related("question")
        .order_by("occurred_at")
    )
    forums = list(Forum.objects.all())
    times = sorted(now - timedelta(days=DAYS * rng.random() ** 1.3) for _visit in range(VISITS))
    visited = []
    for number, at in enumerate(times):
        visit = uuid.UUID(int=rng.getrandbits(128)).hex
        ended_on = [event.question for event in solved if event.occurred_at < at]
        if ended_on and rng.random() < DEFLECTED:
            event = events.contact_deflected(
                visit=visit,
                question=rng.choice(ended_on),
                visitor=visitor_hash(f"demo-contact-{number}"),
            )
        else:
            request = _request(visit, at=at, forum=rng.choice(forums), rng=rng)
            event = events.contact_submitted(visit=visit, request=request)
        if event is not None:  # None: this visitor already counted for the question
            event.occurred_at = at
            visited.append(event)
    Event.objects.bulk_update(visited, ["occurred_at"])
    contacts_purge(now=now)


def _widget_solved(*, now: datetime, rng: random.Random) -> None:
    """Visitors of the brand's help centre whom an answer in the widget helped."""
    solved = list(
        Event.objects.filter(
            kind__in=(EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION),
            question__visibility=Visibility.VISIBLE,
        ).select_related("question__accepted_answer")
    )
    marked = []
    for number in range(WIDGET_SOLVED if solved else 0):
        at = now - timedelta(days=DAYS * rng.random() ** 1.3)
        question = rng.choice(solved).question
        event = events.widget_solved(
            question=question,
            answer=question.accepted_answer,
            visitor=visitor_hash(f"demo-widget-{number}"),
        )
        if event is not None:
            event.occurred_at = max(at, question.accepted_answer.created_at)
            marked.append(event)
    Event.objects.bulk_update(marked, ["occurred_at"])


def _request(visit: str, *, at: datetime, forum: Forum, rng: random.Random) -> ContactRequest:
    language, subject, message = rng.choice(REQUESTS)
    name = rng.choice(SENDERS)
    return ContactRequest.objects.create(
        uuid=uuid.UUID(hex=visit),
        name=name,
        email=f"{name.lower().replace(' ', '.').replace('ü', 'ue')}@example.com",
        subject=subject,
        message=message,
        forum=forum,
        language=language,
        state=ContactRequest.State.FORWARDED,
        attempts=1,
        created_at=at,
        forwarded_at=at + timedelta(minutes=rng.randint(1, 5)),
    )
