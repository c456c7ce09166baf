"""Reads for pages and the API. Each owns its joins, so a page's query count
does not grow with its data.

Lists, search and counts show visible posts only. In a thread, a member also sees
their own posts that are not (with a notice), and moderators see every post."""

from collections.abc import Iterable

from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from accounts import roles
from community.models import (
    Answer,
    Comment,
    Follow,
    Forum,
    Question,
    Revision,
    SolvedToo,
    Tag,
    Visibility,
    Vote,
)
from community.rules import limit
from core.public_cache import PART_SECONDS
from moderation.models import Flag
from rewards.selectors import badge_count

# The questions a visitor's session marked "solved for me too". Their mark's hash
# changes daily (privacy.visitors), so the session itself remembers them.
SOLVED_TOO_SESSION_KEY = "solved_too_questions"

# Authors come with their points account and badge count, for the rank and badges
# shown next to their name (rewards/templatetags/ranks.py) without a query per row.
AUTHOR = ("author", "author__points_account")

SORTS = {
    "active": ("-last_activity_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "votes": ("-vote_score", "-last_activity_at", "-pk"),
}
FILTERS = ("all", "open", "solved", "unanswered")
ANSWER_ORDER = ("accepted_first", "-vote_score", "created_at", "pk")


def forum_list() -> QuerySet:
    return Forum.objects.all()


def visible_questions() -> QuerySet:
    return Question.objects.filter(visibility=Visibility.VISIBLE)


def visible_answers() -> QuerySet:
    """Visible answers to visible questions."""
    return Answer.objects.filter(
        visibility=Visibility.VISIBLE, question__visibility=Visibility.VISIBLE
    )


def _shown_to(user) -> Q:
    """The posts of a thread `user` (maybe anonymous) sees."""
    if user is None or not user.is_authenticated:
        return Q(visibility=Visibility.VISIBLE)
    if roles.is_moderator(user):
        return Q()
    return Q(visibility=Visibility.VISIBLE) | Q(author=user)


def question_list(
    *, forum: Forum | None = None, state: str = "all", sort: str = "active", tag: str = ""
) -> QuerySet:
    """Questions for a list page. Unknown `state` or `sort` values fall back to the defaults."""
    questions = (
        visible_questions()
        .select_related("forum", *AUTHOR)
        .prefetch_related("tags")
        .defer("body", "body_html")
    )
    if forum is not None:
        questions = questions.filter(forum=forum)
    if state in (Question.Status.OPEN, Question.Status.SOLVED):
        questions = questions.filter(status=state)
    elif state == "unanswered":
        questions = questions.filter(answer_count=0)
    if tag:
        questions = questions.filter(tags__name=tag)
    return questions.order_by(*SORTS.get(sort, SORTS["active"]))


def tag_index(*, q: str = "") -> QuerySet[Tag]:
    """Tags of visible questions, most used first, each with `question_count` (its visible
    questions); with `q`, those whose name contains it (any case). One query per page
    and one to count, whatever the number of tags."""
    tags = Tag.objects.annotate(
        question_count=Count("questions", filter=Q(questions__visibility=Visibility.VISIBLE))
    ).filter(question_count__gt=0)
    if q:
        tags = tags.filter(name__icontains=q)
    return tags.order_by("-question_count", "name")


def question_detail(pk: int, *, viewer=None) -> Question:
    """Whatever its visibility (see rules.can_see). Raises Question.DoesNotExist.
    With a signed-in `viewer`, also what the thread's page shows of their own doings
    (`_viewer_states`), and the question itself from the cache (`_question_kept`)."""
    if viewer is None or not viewer.is_authenticated:
        return _question_loaded(pk)
    states = _viewer_states(pk, viewer)
    question = _question_kept(pk, version=states.pop("version"))
    for name, value in states.items():
        setattr(question, name, value)
    return question


def _question_loaded(pk: int) -> Question:
    return (
        Question.objects.select_related("forum", *AUTHOR)
        .annotate(author_badges=badge_count("author_id"))
        .get(pk=pk)  # tags load lazily: a visitor's cached thread needs none
    )


def _question_kept(pk: int, *, version: int) -> Question:
    """The question with its forum, author and badges, kept per thread version (as the
    thread's parts are: Question.version is bumped by every change a thread shows); its
    author's rank and badges as fresh as a visitor's copy (PART_SECONDS)."""
    question = cache.get(f"question:{pk}:{version}")
    if question is None:
        question = _question_loaded(pk)
        cache.set(f"question:{pk}:{question.version}", question, PART_SECONDS)
    return question


# The member's states in one statement, in SQL because the same queryset of six EXISTS
# cost about 4 ms of Python to build for every member's page view. Formatted with the
# models' table names only: the values are parameters.
_VIEWER_STATES = """
SELECT q.version,
    EXISTS (SELECT 1 FROM {vote} WHERE user_id = %s AND question_id = q.id),
    EXISTS (SELECT 1 FROM {follow} WHERE user_id = %s AND question_id = q.id),
    EXISTS (SELECT 1 FROM {solved_too} WHERE user_id = %s AND question_id = q.id),
    EXISTS (SELECT 1 FROM {answer} WHERE author_id = %s AND question_id = q.id
        AND visibility <> %s),
    EXISTS (SELECT 1 FROM {answer} WHERE author_id = %s AND question_id = q.id)
    OR EXISTS (SELECT 1 FROM {vote} v JOIN {answer} a ON a.id = v.answer_id
        WHERE v.user_id = %s AND a.question_id = q.id)
    OR EXISTS (SELECT 1 FROM {comment} c JOIN {answer} a ON a.id = c.answer_id
        WHERE c.author_id = %s AND a.question_id = q.id)
    OR EXISTS (SELECT 1 FROM {flag} f
        LEFT JOIN {answer} a ON a.id = f.answer_id
        LEFT JOIN {comment} c ON c.id = f.comment_id
        LEFT JOIN {answer} ca ON ca.id = c.answer_id
        WHERE f.flagger_id = %s
        AND q.id IN (f.question_id, a.question_id, ca.question_id))
FROM {question} q WHERE q.id = %s
"""
_VIEWER_STATES = _VIEWER_STATES.format(
    **{
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in [
            ("vote", Vote),
            ("follow", Follow),
            ("solved_too", SolvedToo),
            ("answer", Answer),
            ("comment", Comment),
            ("flag", Flag),
            ("question", Question),
        ]
    }
)


def _viewer_states(pk: int, user) -> dict:
    """The question's version; viewer_voted, viewer_following and viewer_solved_too: the
    member gave the question kudos, follows it, said it solved theirs too;
    viewer_unlisted: they wrote an answer to it that is not public (moderators see every
    answer anyway); viewer_involved: they wrote an answer or a comment in the thread,
    gave an answer kudos or flagged anything in it. Raises Question.DoesNotExist."""
    if not 0 < pk < 2**63:  # beyond what SQLite's integers hold (the ORM checks it itself)
        raise Question.DoesNotExist
    me = user.pk
    with connection.cursor() as cursor:
        mine = [me, me, me, me, Visibility.VISIBLE, me, me, me, me]
        cursor.execute(_VIEWER_STATES, [*mine, pk])
        row = cursor.fetchone()
    if row is None:
        raise Question.DoesNotExist
    version, *found = row
    names = ("viewer_voted", "viewer_following", "viewer_solved_too", "viewer_unlisted")
    states = dict(zip((*names, "viewer_involved"), map(bool, found), strict=True))
    states["viewer_unlisted"] = states["viewer_unlisted"] or roles.is_moderator(user)
    return {"version": version, **states}


def _with_comments(answers: QuerySet, user) -> QuerySet:
    """Answers with their authors and the comments `user` sees."""
    return (
        answers.select_related(*AUTHOR)
        .annotate(author_badges=badge_count("author_id"))
        .prefetch_related(Prefetch("comments", queryset=comments_shown(user)))
    )


def answers_for(question: Question, *, user=None) -> QuerySet:
    """The visible answers: the accepted answer first, then by kudos, then oldest first;
    with the comments `user` sees."""
    return (
        _with_comments(
            Answer.objects.filter(question=question, visibility=Visibility.VISIBLE), user
        )
        .annotate(
            accepted_first=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(*ANSWER_ORDER)
    )


def answer_position(answer: Answer) -> int:
    """The answer's 1-based place in `answers_for` order (one query with `question` loaded)."""
    ranked = (
        answers_for(answer.question)
        .annotate(position=Window(RowNumber(), order_by=ANSWER_ORDER))
        .values("pk", "position")
        .order_by()
    )
    # Rows are numbered over the whole thread, so the answer is picked in an outer query.
    sql, params = ranked.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT position FROM ({sql}) AS ranked WHERE pk = %s",  # noqa: S608 - ORM-built SQL
            [*params, answer.pk],
        )
        return cursor.fetchone()[0]


def unlisted_answers_for(question: Question, *, user) -> list[Answer]:
    """The answers that are not public but `user` sees (their own, or for moderators
    every one), oldest first; a page's worth at most. None for visitors, and no query
    when `question` came from question_detail(viewer=user) and they have none."""
    if not user.is_authenticated or not getattr(question, "viewer_unlisted", True):
        return []
    answers = Answer.objects.filter(_shown_to(user), question=question).exclude(
        visibility=Visibility.VISIBLE
    )
    return list(
        _with_comments(answers, user).order_by("created_at", "pk")[: limit("ANSWERS_PER_PAGE")]
    )


def comments_shown(user) -> QuerySet:
    return Comment.objects.filter(_shown_to(user)).select_related("author").order_by("created_at")


def comments_for(answer: Answer, *, user) -> QuerySet:
    return comments_shown(user).filter(answer=answer)


def voted_ids(*, user, questions=(), answers=()) -> tuple[set[int], set[int]]:
    """Which of these questions and answers the user has given kudos to (one query)."""
    if not user.is_authenticated:
        return set(), set()
    question_ids = {q.pk for q in questions}
    answer_ids = {a.pk for a in answers}
    votes = Vote.objects.filter(user=user).filter(
        question_id__in=question_ids
    ) | Vote.objects.filter(user=user, answer_id__in=answer_ids)
    voted_questions, voted_answers = set(), set()
    for question_id, answer_id in votes.values_list("question_id", "answer_id"):
        if question_id:
            voted_questions.add(question_id)
        else:
            voted_answers.add(answer_id)
    return voted_questions, voted_answers


def latest_questions(limit: int = 10) -> list[Question]:
    return list(question_list(sort="newest")[:limit])


def unanswered_questions(limit: int = 10) -> list[Question]:
    return list(question_list(state="unanswered", sort="newest")[:limit])


def is_following(*, user, target: Question | Forum) -> bool:
    if not user.is_authenticated:
        return False
    field = "question" if isinstance(target, Question) else "forum"
    return Follow.objects.filter(user=user, **{field: target}).exists()


def session_solved_too(session: SessionBase | None) -> list[int]:
    """The questions this visitor's session marked "solved for me too", on any day."""
    return session.get(SOLVED_TOO_SESSION_KEY, []) if session is not None else []


def solved_too_marked(*, question: Question, user, session: SessionBase | None) -> bool:
    """Whether this member, or else this visitor's session, said the question solved theirs."""
    if user.is_authenticated:
        return SolvedToo.objects.filter(question=question, user=user).exists()
    return question.pk in session_solved_too(session)


def revisions_for(post: Question | Answer) -> QuerySet:
    """Earlier versions of a post, newest first."""
    field = "question" if isinstance(post, Question) else "answer"
    return Revision.objects.filter(**{field: post}).select_related("editor").order_by("-created_at")


def tag_names_of(question_ids: Iterable[int]) -> dict[int, list[str]]:
    """question id -> its tag names in alphabetical order, in one query (any database)."""
    rows = (
        Question.tags.through.objects.filter(question_id__in=list(question_ids))
        .order_by("question_id", "tag__name")
        .values_list("question_id", "tag__name")
    )
    names: dict[int, list[str]] = {}
    for question_id, name in rows:
        names.setdefault(question_id, []).append(name)
    return names
