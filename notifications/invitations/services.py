"""Invite to answer: a member points a question out to a member who may know the answer.
Rate-limited per inviter; each member is invited to a question once."""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from accounts.models import User
from community import search
from community.models import Answer, Question, Visibility
from core.errors import Conflict, RateLimited
from moderation import gate
from notifications.models import Invitation, Kind
from notifications.services import notify
from search import engine

WINDOW = timedelta(hours=24)
# Experts are looked for among the answers to this many of the most similar questions.
SIMILAR, EXPERTS = 20, 5


def invite_key(*, question_id: int, invitee_id: int) -> str:
    return f"invite:{question_id}:{invitee_id}"


def _check_question(question: Question) -> None:
    if not question.is_visible:
        raise PermissionDenied(_("This question is not public, so nobody can be invited to it."))
    if question.locked_at is not None:
        raise PermissionDenied(_("This thread is locked: it takes no new answers."))
    if question.status != Question.Status.OPEN:
        raise PermissionDenied(_("This question is solved already."))


def _invitee(*, name: str, inviter, question: Question) -> User:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"invitee": _("Enter the display name of the member to invite.")})
    # Display names are unique whatever their case (an index on their lower-case form).
    invitee = (
        User.objects.alias(name_ci=Lower("display_name")).filter(name_ci=Lower(Value(name))).first()
    )
    if invitee is None or not invitee.is_active:
        raise ValidationError(
            {"invitee": _("There is no member called “%(name)s”.") % {"name": name}}
        )
    if gate.restricted_members().filter(user=invitee.pk).exists():
        raise ValidationError(
            {"invitee": _("%(name)s cannot answer at the moment.") % {"name": invitee.display_name}}
        )
    if invitee.pk == inviter.pk:
        raise ValidationError({"invitee": _("You cannot invite yourself.")})
    if invitee.pk == question.author_id:
        raise ValidationError(
            {"invitee": _("%(name)s asked this question.") % {"name": invitee.display_name}}
        )
    return invitee


def _check_rate(inviter) -> None:
    """Counts the inviter's invitations of the last 24 hours; the caller holds a lock on
    the inviter's row, so concurrent invitations cannot both pass."""
    allowed = settings.PEERDESK["INVITES_PER_DAY"]
    now = timezone.now()
    recent = list(
        Invitation.objects.filter(inviter=inviter, created_at__gt=now - WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:allowed]
    )
    if len(recent) >= allowed:
        free_at = recent[-1] + WINDOW  # the oldest counted invitation leaves the window
        raise RateLimited(
            _("You can invite %(n)d members a day. Please try again in %(wait)s.")
            % {"n": allowed, "wait": timeuntil(free_at, now=now, depth=1)},
            retry_after=max(1, math.ceil((free_at - now).total_seconds())),
        )


@transaction.atomic
def invitation_create(*, inviter, question: Question, invitee_name: str) -> Invitation:
    """Locks the inviter's user row for the rate limit. The invitee is notified in this
    transaction. A member already invited to the question raises Conflict."""
    # Suspended and banned members may not invite; the posting rate limit is not for this.
    gate.check_can_edit(inviter)
    _check_question(question)
    invitee = _invitee(name=invitee_name, inviter=inviter, question=question)
    User.objects.select_for_update(no_key=True).only("pk").get(pk=inviter.pk)
    _check_rate(inviter)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                inviter=inviter, invitee=invitee, question=question
            )
    except IntegrityError:  # invitation_once_per_question
        raise Conflict(
            _("%(name)s has been invited to answer this question already.")
            % {"name": invitee.display_name}
        ) from None
    notify(
        recipient=invitee,
        kind=Kind.INVITE,
        key=invite_key(question_id=question.pk, invitee_id=invitee.pk),
        actor=inviter,
        question=question,
    )
    return invitation


def suggested_experts(*, question: Question, inviter) -> list[User]:
    """Members whose answers helped in the questions most like this one (accepted,
    official or up-voted; the most such answers first): who to invite. Not the asker,
    not the inviter, nobody invited to it already, nobody who may not post now, no
    inactive account."""
    similar = [pk for pk in search.ranked_ids(engine.parse(question.title)) if pk != question.pk]
    similar = similar[:SIMILAR]
    accepted = Question.objects.filter(pk__in=similar).values("accepted_answer")
    ranked = (
        Answer.objects.filter(question__in=similar, visibility=Visibility.VISIBLE)
        .filter(Q(pk__in=accepted) | Q(is_official=True) | Q(vote_score__gt=0))
        .exclude(author__in=[question.author_id, inviter.pk])
        .exclude(author__in=Invitation.objects.filter(question=question).values("invitee"))
        .exclude(author__in=gate.restricted_members())
        .filter(author__is_active=True)
        .values("author")
        .annotate(helpful=Count("pk"))
        .order_by("-helpful", "author")
        .values_list("author", flat=True)[:EXPERTS]
    )
    ids = list(ranked)
    found = User.objects.in_bulk(ids)
    return [found[pk] for pk in ids]
