"""Reads for flags and the review queue; each owns its joins, so a page's query count
does not grow with its rows."""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from community.models import Answer, Comment, Question, Visibility
from moderation.models import TARGETS, Case, Flag, FlagReason, ModerationAction, target_fields

EXCERPT_CHARS = 240
HISTORY_POSTS = 5
HISTORY_ACTIONS = 20


def target_kind(target) -> str:
    return next(iter(target_fields(target)))


def flag_target(kind: str, pk: int):
    """A post or profile members can see (and flag): the post and the posts above it
    visible, the member active. Raises the model's DoesNotExist otherwise."""
    shown = Visibility.VISIBLE
    if kind == "question":
        return Question.objects.get(pk=pk, visibility=shown)
    if kind == "answer":
        return Answer.objects.select_related("question").get(
            pk=pk, visibility=shown, question__visibility=shown
        )
    if kind == "comment":
        return Comment.objects.select_related("answer__question").get(
            pk=pk, visibility=shown, answer__visibility=shown, answer__question__visibility=shown
        )
    if kind == "profile":
        return User.objects.get(pk=pk, is_active=True)
    raise Question.DoesNotExist


def _keys(flags: QuerySet) -> set[tuple[str, int]]:
    rows = flags.values_list(*(f"{name}_id" for name in TARGETS))
    return {(name, pk) for row in rows for name, pk in zip(TARGETS, row, strict=True) if pk}


def flagged_by(user, targets) -> set[tuple[str, int]]:
    """Which of `targets` the member has flagged, as (kind, pk) pairs: one query."""
    if not user.is_authenticated or not targets:
        return set()
    wanted: dict[str, list[int]] = {}
    for target in targets:
        wanted.setdefault(target_kind(target), []).append(target.pk)
    about = Q()
    for kind, pks in wanted.items():
        about |= Q(**{f"{kind}__in": pks})
    return _keys(Flag.objects.filter(about, flagger=user))


def flagged_on_page(request, user, target, *, question=None) -> set[tuple[str, int]]:
    """The member's flags among what a page shows, read once per request: on a thread's
    page (`question`), every flag in the thread (one query for all its posts); otherwise
    per item."""
    in_thread = question is not None and target_kind(target) != "profile"
    scope = ("thread", question.pk) if in_thread else (target_kind(target), target.pk)
    memo = getattr(request, "_moderation_flagged", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._moderation_flagged = memo
    if scope not in memo:
        memo[scope] = flagged_in_thread(user, question) if in_thread else flagged_by(user, [target])
    return memo[scope]


def flagged_in_thread(user, question) -> set[tuple[str, int]]:
    """What the member flagged in a thread (the question, its answers, their comments),
    as (kind, pk) pairs: one query for the whole page."""
    if not user.is_authenticated:
        return set()
    in_thread = (
        Q(question=question) | Q(answer__question=question) | Q(comment__answer__question=question)
    )
    return _keys(Flag.objects.filter(in_thread, flagger=user))


_TARGET_JOINS = (
    "question__author",
    "question__forum",
    "answer__author",
    "answer__question",
    "comment__author",
    "comment__answer__question",
    "profile",
)


def queue(*, source: str = "", reason: str = "") -> QuerySet[Case]:
    """Open cases, most urgent first (priority, then weight, then the oldest), with their
    target, its author, who claimed it and the flags."""
    cases = (
        Case.objects.filter(state=Case.State.OPEN)
        .select_related(*_TARGET_JOINS, "claimed_by")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("created_at")))
        .order_by("-priority", "-weight", "opened_at", "pk")
    )
    if source:
        cases = cases.filter(source=source)
    if reason:
        cases = cases.filter(Exists(Flag.objects.filter(case=OuterRef("pk"), reason=reason)))
    return cases


def open_case_count() -> int:
    """The length of the review queue, for the staff menu."""
    return Case.objects.filter(state=Case.State.OPEN).count()


def case_detail(pk: int) -> Case:
    """A case with its target, the flags and who raised them, and an appeal's action."""
    flags = Flag.objects.select_related("flagger").order_by("created_at")
    return (
        Case.objects.select_related(*_TARGET_JOINS, "claimed_by", "appeal__action__actor")
        .prefetch_related(Prefetch("flags", queryset=flags))
        .get(pk=pk)
    )


def describe(case: Case) -> Case:
    """Adds what a queue row and the case page show: `subject` (the post or profile),
    `thread` (its question), `kind_label`, `author`, `excerpt` and `reasons` (distinct
    flag reasons, in order of the first flag of each).
    Needs the joins of `queue` or `case_detail`."""
    row: Any = case  # what it adds are no fields of the model
    subject = case.target
    row.subject = subject
    row.thread = question_of(subject)
    if isinstance(subject, User):
        row.kind_label = _("profile")
        row.author = subject
        row.excerpt = Truncator(subject.bio).chars(EXCERPT_CHARS)
    else:
        row.kind_label = subject._meta.verbose_name
        row.author = subject.author
        row.excerpt = Truncator(subject.body).chars(EXCERPT_CHARS)
    # FlagReason's label, not get_reason_display(): Django rebuilds the translated
    # choices on every call of that (most of this function's time in bench/).
    reasons = dict.fromkeys(flag.reason for flag in case.flags.all())
    row.reasons = [FlagReason(reason).label for reason in reasons]
    return case


def question_of(subject) -> Question | None:
    """The thread a post is in (loaded by the queue's joins)."""
    if isinstance(subject, Question):
        return subject
    if isinstance(subject, Answer):
        return subject.question
    if isinstance(subject, Comment):
        return subject.answer.question
    return None


def author_history(member) -> dict:
    """For the case page: the member's recent posts and what moderators did about them."""
    if member is None:
        return {}
    newest = "-created_at"
    return {
        "questions": list(Question.objects.filter(author=member).order_by(newest)[:HISTORY_POSTS]),
        "answers": list(
            Answer.objects.filter(author=member)
            .select_related("question")
            .order_by(newest)[:HISTORY_POSTS]
        ),
        "actions": list(
            ModerationAction.objects.filter(member=member)
            .select_related("actor")
            .order_by(newest, "-pk")[:HISTORY_ACTIONS]
        ),
    }
