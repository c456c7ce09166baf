"""The contact page: community answers suggested while the customer types a subject, a
visit that ends on one of them (a deflection) or on a stored request that
insights.contact.forwarding sends to the support system after commit.

A visit is a random id (uuid4 hex) the page keeps in the session. It is also the uuid
of the request it ends in, so one visit stores at most one request, even when the form
is sent twice at once; and it keys the visit's event (insights.events), so it counts
once, as deflected or as submitted."""

import hashlib
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html import unescape

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community import search
from community.models import Answer, Forum, Question
from community.selectors import visible_questions
from core.errors import Conflict, RateLimited
from core.text import clean_text
from insights import events, proof, tasks
from insights.models import ContactRequest, Event, EventKind
from privacy.rules import require_required_consents
from search import engine

SUBJECT_MIN, SUBJECT_MAX = 5, 200
MESSAGE_MIN, MESSAGE_MAX = 10, 5000
NAME_MAX = 120
SUGGESTIONS = 5
# Search candidates looked at to put the solved ones first.
CANDIDATES = 15
EXCERPT_CHARS = 240
# Requests one session may send a day (PEERDESK["RATE_LIMITS"] switches it off).
REQUESTS_PER_DAY = 5
DAY_SECONDS = 24 * 60 * 60


def visit_new() -> str:
    return uuid.uuid4().hex


def visit_valid(visit: str) -> bool:
    try:
        return uuid.UUID(hex=visit).hex == visit
    except (TypeError, ValueError):
        return False


# --- Suggestions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    question: Question
    answer: Answer | None  # the accepted answer, when it is visible
    excerpt: str  # the accepted answer's text, plain and shortened
    proof: str = ""  # a visitor's page-view proof for "This solved it" (insights.proof)

    @property
    def url(self) -> str:
        return (self.answer or self.question).get_absolute_url()

    @property
    def solved(self) -> bool:
        return self.answer is not None


def _excerpt(answer: Answer) -> str:
    text = " ".join(unescape(strip_tags(answer.body_html)).split())
    return Truncator(text).chars(EXCERPT_CHARS)


def contact_suggestions(subject: str) -> list[Suggestion]:
    """Visible questions like the subject (the ask page's search), solved ones first,
    then by rank. Two queries."""
    ranked = search.ranked_ids(engine.parse(subject[:SUBJECT_MAX]))[:CANDIDATES]
    rank = {pk: position for position, pk in enumerate(ranked)}
    questions = visible_questions().filter(pk__in=rank).select_related("accepted_answer")
    suggestions = []
    for question in questions:
        answer = question.accepted_answer
        if answer is not None and not answer.is_visible:
            answer = None
        suggestions.append(
            Suggestion(question=question, answer=answer, excerpt=_excerpt(answer) if answer else "")
        )
    suggestions.sort(key=lambda s: (not s.solved, rank[s.question.pk]))
    return suggestions[:SUGGESTIONS]


# --- Ending a visit -------------------------------------------------------------------


def contact_deflect(
    *,
    visit: str,
    question: Question,
    user=None,
    visitor: proof.Visitor | None = None,
    network: str = "",
) -> Event | None:
    """The visit ended on a community answer. Idempotent per visit, and counted at most
    once per person and question (insights.events). An anonymous visitor's page view is
    proven (insights.proof.visitor_from); a member's request's `network` is counted as a
    visitor's is. Past the day's limits per person and network it raises RateLimited and
    records nothing, the refusal counted."""
    member = user if user is not None and user.is_authenticated else None
    if member is None and visitor is None:
        raise ValidationError(_("Please choose the answer on the contact page."))
    if not question.is_visible or question.answer_count == 0:
        raise ValidationError(_("This question has no answer yet."))
    kind = EventKind.CONTACT_DEFLECTED
    if member is not None:
        require_required_consents(member)
        proof.member_allow(member, network=network, question_id=question.pk, kind=kind)
    else:
        assert visitor is not None  # no member: refused above without a visitor
        proof.visitor_allow(visitor, question_id=question.pk, kind=kind)
    return events.contact_deflected(
        visit=visit, question=question, user=member, visitor=visitor.hash if visitor else ""
    )


def _midnight_after(now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))


def _requests_allow(*, session_key: str) -> None:
    """Counts one more request of the session today (in the cache, under a hash of the
    session key); raises RateLimited past REQUESTS_PER_DAY."""
    if not settings.PEERDESK["RATE_LIMITS"]:
        return
    now = timezone.localtime()
    digest = hashlib.sha256(f"{now.date().isoformat()}:{session_key}".encode()).hexdigest()
    key = f"insights:contact-requests:{digest}"
    cache.add(key, 0, timeout=DAY_SECONDS)
    if cache.incr(key) <= REQUESTS_PER_DAY:
        return
    midnight = _midnight_after(now)
    raise RateLimited(
        ngettext(
            "You can send %(n)d request a day from this browser. Please try again in %(wait)s.",
            "You can send %(n)d requests a day from this browser. Please try again in %(wait)s.",
            REQUESTS_PER_DAY,
        )
        % {"n": REQUESTS_PER_DAY, "wait": timeuntil(midnight, now=now, depth=1)},
        retry_after=max(1, math.ceil((midnight - now).total_seconds())),
    )


def _one_line(text: str) -> str:
    """Subjects and names go into email headers: no line breaks, no runs of spaces."""
    return " ".join(clean_text(text).split())


@transaction.atomic
def contact_submit(
    *,
    visit: str,
    session_key: str,
    user=None,
    subject: str,
    message: str,
    name: str,
    email: str,
    forum: Forum | None = None,
) -> ContactRequest:
    """Stores the request of the visit with its event, and enqueues forwarding after
    commit. Idempotent per visit: the visit's request, if it has one, is returned and
    nothing else happens (a concurrent second submit waits on the unique uuid)."""
    if not visit_valid(visit):
        raise ValidationError(_("This form has expired. Please send it again."))
    existing = ContactRequest.objects.filter(uuid=visit).first()
    if existing is not None:
        return existing
    _requests_allow(session_key=session_key)
    contact_request = ContactRequest(
        uuid=uuid.UUID(hex=visit),
        user=user if user is not None and user.is_authenticated else None,
        name=_one_line(name),
        email=email,
        subject=_one_line(subject),
        message=clean_text(message),
        forum=forum,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    contact_request.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            contact_request.save()
    except IntegrityError:  # the same visit was sent at the same time, and won
        return ContactRequest.objects.get(uuid=visit)
    events.contact_submitted(visit=visit, request=contact_request)
    tasks.contact_forward_on_commit(contact_request.pk)
    return contact_request


# --- For support leads ----------------------------------------------------------------


def contact_requests() -> QuerySet:
    """Newest first, with what the staff list shows."""
    return ContactRequest.objects.select_related("forum", "user").order_by("-created_at", "-pk")


def contact_retry(*, contact_request: ContactRequest) -> None:
    """Forwards a failed request again now, whatever the sweep's backoff says."""
    if contact_request.state != ContactRequest.State.FAILED:
        raise Conflict(_("Only a request whose forwarding failed can be sent again."))
    tasks.contact_forward_on_commit(contact_request.pk)
