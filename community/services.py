"""Every change to the Q&A community goes through these functions.

Each validates, writes in one transaction and keeps the denormalised counters
(forum, question, answer) in step with F() updates, so concurrent writers
never lose a count. Counters count visible posts only (community.visibility).

New posts and edits pass moderation first: the gate (bans, suspensions, rate
limits) and screening (watched words, links from new members). A post held by
screening waits for review (Visibility.PENDING, a case in the queue), uncounted
and unpublished until a moderator approves it.
"""

from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import roles
from community import rules, search, selectors, visibility
from community.markdown import render_markdown
from community.models import (
    Answer,
    Comment,
    Follow,
    Forum,
    KudosChange,
    Language,
    Question,
    SolvedToo,
    Tag,
    Visibility,
    Vote,
)
from core.errors import Conflict
from insights import events as insights_events
from insights import proof
from insights.models import EventKind
from moderation import cases, gate
from moderation.models import CaseSource
from moderation.screening import Screening, screen
from notifications import events
from privacy.rules import require_required_consents
from rewards import services as rewards
from webhooks import events as webhooks


def _require_member(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Please log in first."))


def _set_tags(question: Question, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    question.tags.set(Tag.objects.filter(name__in=names))


def _initial_visibility(screened: Screening) -> str:
    return Visibility.PENDING if screened.hold_reason else Visibility.VISIBLE


def _hold(post, reason: str) -> None:
    """Takes a post off the site (an edit of a visible one) and into the review queue."""
    if post.is_visible:
        visibility.post_visibility_set(post=post, visibility=Visibility.PENDING)
    cases.case_open(target=post, source=CaseSource.HELD, note=reason)


def _require_open(question: Question) -> None:
    """A thread takes answers and comments while it is public and not locked."""
    if not question.is_visible:
        raise PermissionDenied(_("This question is not public."))
    if question.locked_at is not None:
        raise PermissionDenied(_("This thread is locked: it takes no new answers or comments."))


def _require_visible(post) -> None:
    if not post.is_visible:
        raise PermissionDenied(_("This post is not public."))


def _current_language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in Language.values else Language.ENGLISH


@transaction.atomic
def question_create(
    *, author, forum: Forum, title: str, body: str, tags=(), language: str | None = None
) -> Question:
    _require_member(author)
    gate.check_can_post(author)
    title = rules.clean_title(title)
    body = rules.clean_post_body(Question, body)
    tag_names = rules.clean_tags(tags)
    screened = screen(author=author, title=title, body=body)
    question = Question.objects.create(
        forum=forum,
        author=author,
        title=screened.title,
        body=screened.body,
        body_html=render_markdown(screened.body),
        language=language if language in Language.values else _current_language(),
        visibility=_initial_visibility(screened),
    )
    _set_tags(question, tag_names)
    Follow.objects.create(user=author, question=question)
    search.index_questions(Question.objects.filter(pk=question.pk))
    if screened.hold_reason:
        _hold(question, screened.hold_reason)
        return question
    Forum.objects.filter(pk=forum.pk).update(question_count=F("question_count") + 1)
    events.post_published(question)
    webhooks.post_published(question)
    return question


@transaction.atomic
def question_edit(*, question: Question, by, title: str, body: str, tags=None) -> Question:
    """Keeps the previous text as a Revision. A changed text that screening holds takes
    the question off the site until a moderator approves it."""
    if not rules.can_edit(user=by, post=question):
        raise PermissionDenied(_("You can only edit your own posts."))
    gate.check_can_edit(by)
    title = rules.clean_title(title)
    body = rules.clean_post_body(Question, body)
    tag_names = rules.clean_tags(tags) if tags is not None else None
    screened = screen(author=by, title=title, body=body)
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk)
    revised = visibility.post_revise(post=question, by=by, body=screened.body, title=screened.title)
    if tag_names is not None:
        _set_tags(question, tag_names)
    if revised and screened.hold_reason:
        _hold(question, screened.hold_reason)
    visibility.thread_changed(question.pk)
    return question


@transaction.atomic
def answer_create(*, question: Question, author, body: str) -> Answer:
    """Locks the question row, so exactly one answer is the first."""
    _require_member(author)
    gate.check_can_post(author)
    body = rules.clean_post_body(Answer, body)
    screened = screen(author=author, body=body)
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk)
    _require_open(question)
    answer = Answer.objects.create(
        question=question,
        author=author,
        body=screened.body,
        body_html=render_markdown(screened.body),
        is_official=roles.is_official(author),
        visibility=_initial_visibility(screened),
    )
    if screened.hold_reason:
        _hold(answer, screened.hold_reason)
        return answer
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1,
        last_activity_at=answer.created_at,
        version=F("version") + 1,
    )
    Forum.objects.filter(pk=question.forum_id).update(answer_count=F("answer_count") + 1)
    search.index_thread(question.pk)
    visibility.first_answer_record(question_id=question.pk, at=answer.created_at)
    if question.answer_count == 0:
        rewards.points_for_first_answer(answer=answer, question=question)
    events.post_published(answer)
    webhooks.post_published(answer)
    return answer


@transaction.atomic
def answer_edit(*, answer: Answer, by, body: str) -> Answer:
    """Keeps the previous text as a Revision. A changed text that screening holds takes
    the answer off the site until a moderator approves it."""
    if not rules.can_edit(user=by, post=answer):
        raise PermissionDenied(_("You can only edit your own posts."))
    gate.check_can_edit(by)
    body = rules.clean_post_body(Answer, body)
    screened = screen(author=by, body=body)
    answer = Answer.objects.select_for_update(no_key=True).get(pk=answer.pk)
    if visibility.post_revise(post=answer, by=by, body=screened.body):
        if screened.hold_reason:
            _hold(answer, screened.hold_reason)
        visibility.thread_changed(answer.question_id)
    return answer


@transaction.atomic
def comment_create(*, answer: Answer, author, body: str) -> Comment:
    """Locks the question row (the thread's counters and lock)."""
    _require_member(author)
    gate.check_can_post(author)
    body = rules.clean_post_body(Comment, body)
    screened = screen(author=author, body=body)
    _require_open(Question.objects.select_for_update(no_key=True).get(pk=answer.question_id))
    if not answer.is_visible:
        raise PermissionDenied(_("This answer is not public."))
    comment = Comment.objects.create(
        answer=answer,
        author=author,
        body=screened.body,
        body_html=render_markdown(screened.body),
        visibility=_initial_visibility(screened),
    )
    if screened.hold_reason:
        _hold(comment, screened.hold_reason)
        return comment
    Question.objects.filter(pk=answer.question_id).update(
        last_activity_at=comment.created_at, version=F("version") + 1
    )
    events.post_published(comment)
    return comment


@transaction.atomic
def answer_accept(*, answer: Answer, by) -> Answer:
    """Locks the question row. Idempotent: accepting the accepted answer changes nothing."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    if not rules.can_accept(user=by, question=question):
        raise PermissionDenied(_("Only the asker or a moderator can accept an answer."))
    require_required_consents(by)
    _require_visible(answer)
    if question.accepted_answer_id == answer.pk:
        return answer
    previous = question.accepted_answer
    rewards.points_accounts_lock(
        answer.author, by, question.author, previous.author if previous else None
    )
    if previous is not None:
        rewards.points_for_unaccept(answer=previous)
    rewards.points_for_accept(answer=answer, question=question, by=by)
    question.accepted_answer = answer
    question.status = Question.Status.SOLVED
    question.save(update_fields=["accepted_answer", "status"])
    visibility.thread_changed(question.pk)
    insights_events.solution_recorded(question=question, answer=answer)
    events.answer_accepted(answer=answer, by=by)
    webhooks.answer_accepted(answer=answer, question=question, by=by)
    return answer


@transaction.atomic
def answer_unaccept(*, question: Question, by) -> Question:
    """Locks the question row. Idempotent on an open question."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not rules.can_accept(user=by, question=question):
        raise PermissionDenied(_("Only the asker or a moderator can change the accepted answer."))
    require_required_consents(by)
    if question.accepted_answer_id is not None:
        rewards.points_for_unaccept(answer=question.accepted_answer)
        question.accepted_answer = None
        question.status = Question.Status.OPEN
        question.save(update_fields=["accepted_answer", "status"])
        visibility.thread_changed(question.pk)
        insights_events.solution_withdrawn(question=question)
    return question


def _target(post) -> dict:
    return {"question": post} if isinstance(post, Question) else {"answer": post}


def _count_vote(post: Question | Answer, change: int) -> None:
    type(post).objects.filter(pk=post.pk).update(vote_score=F("vote_score") + change)
    if isinstance(post, Answer):
        visibility.thread_changed(post.question_id)


@transaction.atomic
def vote_cast(*, user, post: Question | Answer) -> Vote:
    """Kudos for a post. The unique constraint is the backstop against a double click."""
    _require_member(user)
    if post.author_id == user.pk:
        raise PermissionDenied(_("You cannot give kudos to your own post."))
    _require_visible(post)
    gate.check_can_vote(user)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(user=user, **_target(post))
    except IntegrityError:
        raise Conflict(_("You have already given kudos to this post.")) from None
    KudosChange.objects.create(user=user)  # counts against the daily kudos limit
    _count_vote(post, +1)
    rewards.points_for_vote(vote=vote, post=post)
    return vote


@transaction.atomic
def vote_withdraw(*, user, post: Question | Answer) -> None:
    _require_member(user)
    vote = Vote.objects.select_for_update().filter(user=user, **_target(post)).first()
    if vote is None:
        raise Conflict(_("You have not given kudos to this post."))
    vote_id = vote.pk
    vote.delete()
    KudosChange.objects.create(user=user, withdrawn=True)  # counts like giving them
    _count_vote(post, -1)  # post rows before the account, in the order vote_cast locks them
    rewards.points_for_vote_withdrawn(vote_id=vote_id)


def _already_marked() -> Conflict:
    return Conflict(_("You have already said this solved your problem."))


def solved_too_mark(
    *,
    question: Question,
    user=None,
    visitor: proof.Visitor | None = None,
    network: str = "",
    session: SessionBase | None = None,
) -> SolvedToo:
    """One mark per member, or per anonymous `visitor` whose page view is proven
    (insights.proof.visitor_from), and question; recorded as a deflection
    (insights.events) unless this person already counted for the question.

    The day's limits per person and network (a member's `network`: the keyed hash of
    the request's, insights.proof.network_of_request) are counted first, outside the mark's
    transaction, so a refused flood stays counted. A visitor's `session` remembers the
    questions it marked, so that the next day's hash cannot mark one again."""
    member = user is not None and user.is_authenticated
    if not member and visitor is None:
        raise ValidationError(_("Please open the question's page first."))
    question = Question.objects.get(pk=question.pk)  # fresh counts and accepted answer
    _require_visible(question)
    if question.answer_count == 0:
        raise ValidationError(_("This question has no answer yet."))
    if member:
        require_required_consents(user)
        if user.pk == question.author_id:
            raise PermissionDenied(_("You asked this question; accept an answer instead."))
        proof.member_allow(
            user, network=network, question_id=question.pk, kind=EventKind.SOLVED_TOO
        )
    else:
        if question.pk in selectors.session_solved_too(session):
            raise _already_marked()
        assert visitor is not None  # no member: refused above without a visitor
        proof.visitor_allow(visitor, question_id=question.pk, kind=EventKind.SOLVED_TOO)
    mark = _solved_too_write(question=question, user=user if member else None, visitor=visitor)
    if not member and session is not None:
        marked = selectors.session_solved_too(session)
        session[selectors.SOLVED_TOO_SESSION_KEY] = [*marked, question.pk]
    return mark


@transaction.atomic
def _solved_too_write(*, question: Question, user, visitor: proof.Visitor | None) -> SolvedToo:
    who: dict[str, Any]
    if user is not None:
        who = {"user": user}
    else:
        assert visitor is not None  # solved_too_mark passes one or the other
        who = {"session_hash": visitor.hash}
    try:
        with transaction.atomic():
            mark = SolvedToo.objects.create(
                question=question, answer_id=question.accepted_answer_id, **who
            )
    except IntegrityError:
        raise _already_marked() from None
    Question.objects.filter(pk=question.pk).update(solved_too_count=F("solved_too_count") + 1)
    rewards.points_for_solved_too(mark=mark)
    insights_events.solved_too_recorded(mark=mark, visitor=mark.session_hash)
    return mark


def kudos_changes_expire() -> int:
    """Deletes withdrawals older than the kudos limit's day (and a margin); returns how many."""
    deleted, _rows = KudosChange.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=2)
    ).delete()
    return deleted


def follow_start(*, user, target: Question | Forum) -> Follow:
    """Idempotent: following twice keeps one follow."""
    _require_member(user)
    require_required_consents(user)
    field = "question" if isinstance(target, Question) else "forum"
    target_of: dict[str, Any] = {field: target}
    follow, _created = Follow.objects.get_or_create(user=user, **target_of)
    return follow


def follow_stop(*, user, target: Question | Forum) -> None:
    """Idempotent."""
    _require_member(user)
    field = "question" if isinstance(target, Question) else "forum"
    Follow.objects.filter(user=user, **{field: target}).delete()
