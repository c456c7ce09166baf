"""What moderation changes on posts and threads: visibility (with the counters and the
search index), locking, moving, a moderator's edit, and purging edit history. Called by
moderation.actions; each writes in the caller's transaction.

Counters count visible posts only: Question.answer_count its visible answers,
Forum.question_count its visible questions and Forum.answer_count the visible answers
of those. They change with F() while the question row is locked; a post's row is
locked before its question's, as moderation.actions and community.services do."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from community import rules, search
from community.markdown import render_markdown
from community.models import Answer, Comment, Forum, Question, Revision, Visibility
from notifications import events
from rewards import services as rewards
from webhooks import events as webhooks


def thread_changed(question_id: int) -> None:
    """Invalidates the cached parts of a thread (see Question.version)."""
    Question.objects.filter(pk=question_id).update(version=F("version") + 1)


def first_answer_record(*, question_id: int, at) -> None:
    """The time the question's first answer went online, for the time to first answer.
    Set once: an answer hidden later leaves it as it was."""
    Question.objects.filter(pk=question_id, first_answer_at__isnull=True).update(first_answer_at=at)


def _locked(post):
    """Locks the post's row and reloads it in place (the caller's object stays current)."""
    post.refresh_from_db(from_queryset=type(post).objects.select_for_update(no_key=True))
    return post


def _locked_with_question(post) -> tuple:
    """The post and its question, fresh and locked in that order."""
    post = _locked(post)
    if isinstance(post, Question):
        return post, post
    if isinstance(post, Answer):
        question_id = post.question_id
    else:
        question_id = Answer.objects.values_list("question_id", flat=True).get(pk=post.answer_id)
    return post, Question.objects.select_for_update(no_key=True).get(pk=question_id)


def _count(post, question: Question, change: int) -> None:
    """Counts a post in (+1) or out (-1) of the counters; comments are not counted."""
    if isinstance(post, Question):
        Forum.objects.filter(pk=question.forum_id).update(
            question_count=F("question_count") + change,
            answer_count=F("answer_count") + change * question.answer_count,
        )
    elif isinstance(post, Answer):
        Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + change)
        if question.is_visible:
            Forum.objects.filter(pk=question.forum_id).update(
                answer_count=F("answer_count") + change
            )


def _publish(post, question: Question) -> None:
    """A post goes online (again): as if it had been posted then; `question` locked, its
    counts from before."""
    if isinstance(post, Answer):
        first_answer_record(question_id=question.pk, at=timezone.now())
        if question.answer_count == 0:
            rewards.points_for_first_answer(answer=post, question=question)
    if not isinstance(post, Question):
        Question.objects.filter(pk=question.pk).update(
            last_activity_at=Greatest(F("last_activity_at"), Value(post.created_at))
        )
    events.post_published(post)
    webhooks.post_published(post)


@transaction.atomic
def post_visibility_set(*, post, visibility: str, note: str = ""):
    """Sets a question's, answer's or comment's visibility and the note shown to its
    author; keeps forum/question counters counting visible posts only. A post that
    becomes visible for the first time is published (notifications.events, whose
    keys make publishing a post again harmless).

    `note` replaces the post's note as given. On a visible post everyone reads it as
    "Edited by a moderator: <note>": restoring or approving passes "" unless it is
    that.

    An accepted answer that is hidden stays accepted (the question stays solved): the
    asker's decision and its points are not the moderators' to undo here."""
    post, question = _locked_with_question(post)
    was = post.visibility
    post.visibility, post.moderation_note = visibility, note
    post.save(update_fields=["visibility", "moderation_note"])
    shown = visibility == Visibility.VISIBLE
    if shown != (was == Visibility.VISIBLE):
        _count(post, question, +1 if shown else -1)
        if shown:
            _publish(post, question)
        if not isinstance(post, Comment):
            search.index_thread(question.pk)  # a visible answer's words find its question
    thread_changed(question.pk)
    return post


@transaction.atomic
def question_lock(*, question, locked: bool):
    question = _locked(question)
    question.locked_at = timezone.now() if locked else None
    question.save(update_fields=["locked_at"])
    thread_changed(question.pk)
    return question


@transaction.atomic
def question_move(*, question, forum):
    """Takes the question's counts (if visible) along to the new forum."""
    question = _locked(question)
    if question.forum_id == forum.pk:
        return question
    if question.is_visible:
        _count(question, question, -1)
    question.forum = forum
    question.save(update_fields=["forum"])
    if question.is_visible:
        _count(question, question, +1)
    thread_changed(question.pk)
    return question


def post_revise(*, post, by, body: str, title: str | None = None) -> bool:
    """Changes the text of a locked post, keeping a question's or answer's previous text
    as a Revision (comments keep none); whether anything changed. The caller cleaned
    the text; `title` is a question's (None: unchanged)."""
    changes = {"body": body}
    if isinstance(post, Question) and title is not None:
        changes["title"] = title
    if all(getattr(post, field) == value for field, value in changes.items()):
        return False
    if isinstance(post, Question):
        Revision.objects.create(question=post, editor=by, title=post.title, body=post.body)
    elif isinstance(post, Answer):
        Revision.objects.create(answer=post, editor=by, body=post.body)
    for field, value in changes.items():
        setattr(post, field, value)
    post.body_html, post.edited_at = render_markdown(body), timezone.now()
    post.save(update_fields=[*changes, "body_html", "edited_at"])
    if isinstance(post, Question | Answer):
        search.index_thread(post.question_id if isinstance(post, Answer) else post.pk)
    return True


@transaction.atomic
def post_moderator_edit(*, post, by, body: str, title: str | None = None, note: str):
    """Edits as a moderator, keeping the previous text as a Revision; `note` is shown
    to the author."""
    if not rules.can_edit(user=by, post=post):
        raise PermissionDenied(_("Only moderators can edit other members' posts."))
    post, question = _locked_with_question(post)
    body = rules.clean_post_body(type(post), body)
    if isinstance(post, Question) and title is not None:
        title = rules.clean_title(title)
    post_revise(post=post, by=by, body=body, title=title)
    post.moderation_note = note
    post.save(update_fields=["moderation_note"])
    thread_changed(question.pk)
    return post


@transaction.atomic
def post_revisions_purge(*, post) -> int:
    """Deletes a post's edit history (personal data exposed in it); returns how many."""
    if isinstance(post, Comment):
        return 0  # comments keep no history
    field = "question" if isinstance(post, Question) else "answer"
    deleted, _by_model = Revision.objects.filter(**{field: post}).delete()
    return deleted
