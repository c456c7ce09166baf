"""What the community holds about a member, for export (Art. 15, 20) and erasure (Art. 17);
registered with core.gdpr.

Export: their questions, answers, comments, edits, kudos, "solved for me too" marks and
follows. Erasure: kudos are deleted and the scores recounted, marks become anonymous
(the counts and the credit of the accepted answer stay), follows are deleted; posts stay,
shown as by "Deleted member" (their author is SET_NULL with the member's row), unless
the member chose to delete them too."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from community import search
from community.models import (
    Answer,
    Comment,
    Follow,
    Forum,
    KudosChange,
    Question,
    Revision,
    SolvedToo,
    Vote,
)
from community.selectors import tag_names_of
from core import gdpr
from core.sql import RandomHex

CHUNK = 500
EXPORT_ORDER = 20
ERASE_ORDER = 10


def _iter(queryset: QuerySet) -> Iterable:
    return queryset.iterator(chunk_size=CHUNK)


def _batches(queryset: QuerySet) -> Iterator[list]:
    rows = _iter(queryset)
    while batch := list(islice(rows, CHUNK)):
        yield batch


# Export ------------------------------------------------------------------------------


@gdpr.exporter(
    "questions.json",
    gettext_lazy("The questions you asked, with their text as it is now."),
    order=EXPORT_ORDER,
    models=[Question],
)
def question_rows(user) -> Iterable[dict]:
    questions = Question.objects.filter(author=user).select_related("forum")
    for batch in _batches(questions.order_by("created_at", "pk")):
        # One query per batch: prefetching held several MB of tag objects per 2,000 rows.
        tags = tag_names_of(q.pk for q in batch)
        for q in batch:
            yield {
                "id": q.pk,
                "url": settings.SITE_URL.rstrip("/") + q.get_absolute_url(),
                "forum": q.forum.slug,
                "title": q.title,
                "body": q.body,
                "language": q.language,
                "tags": tags.get(q.pk, []),
                "status": q.status,
                "created_at": q.created_at,
                "edited_at": q.edited_at,
            }


@gdpr.exporter(
    "answers.json",
    gettext_lazy("The answers you wrote; `accepted` tells whether the asker accepted it."),
    order=EXPORT_ORDER,
    models=[Answer],
)
def answer_rows(user) -> Iterable[dict]:
    accepted = Question.objects.filter(accepted_answer=OuterRef("pk"))
    answers = Answer.objects.filter(author=user).annotate(accepted=Exists(accepted))
    for a in _iter(answers.order_by("created_at", "pk")):
        yield {
            "id": a.pk,
            "question_id": a.question_id,
            "body": a.body,
            "official": a.is_official,
            "accepted": a.accepted,
            "created_at": a.created_at,
            "edited_at": a.edited_at,
        }


@gdpr.exporter(
    "comments.json",
    gettext_lazy("The comments you wrote on answers."),
    order=EXPORT_ORDER,
    models=[Comment],
)
def comment_rows(user) -> Iterable[dict]:
    for c in _iter(Comment.objects.filter(author=user).order_by("created_at", "pk")):
        yield {
            "id": c.pk,
            "answer_id": c.answer_id,
            "body": c.body,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
        }


@gdpr.exporter(
    "revisions.json",
    gettext_lazy("Your edits: the title and text of a post before you changed it."),
    order=EXPORT_ORDER,
    models=[Revision],
)
def revision_rows(user) -> Iterable[dict]:
    revisions = Revision.objects.filter(editor=user).order_by("created_at", "pk")
    for r in _iter(revisions):
        yield {
            "question_id": r.question_id,
            "answer_id": r.answer_id,
            "title_before": r.title,
            "body_before": r.body,
            "edited_at": r.created_at,
        }


@gdpr.exporter(
    "votes.json",
    gettext_lazy("The kudos you gave, to a question or an answer."),
    order=EXPORT_ORDER,
    models=[Vote],
)
def vote_rows(user) -> Iterable[dict]:
    for v in _iter(Vote.objects.filter(user=user).order_by("created_at", "pk")):
        yield {"question_id": v.question_id, "answer_id": v.answer_id, "created_at": v.created_at}


@gdpr.exporter(
    "solved_too.json",
    gettext_lazy("The questions you marked 'this solved my problem too'."),
    order=EXPORT_ORDER,
    models=[SolvedToo],
)
def solved_too_rows(user) -> Iterable[dict]:
    for s in _iter(SolvedToo.objects.filter(user=user).order_by("created_at", "pk")):
        yield {"question_id": s.question_id, "answer_id": s.answer_id, "created_at": s.created_at}


@gdpr.exporter(
    "follows.json",
    gettext_lazy("The questions and forums you follow."),
    order=EXPORT_ORDER,
    models=[Follow],
)
def follow_rows(user) -> Iterable[dict]:
    follows = Follow.objects.filter(user=user).select_related("forum").order_by("created_at", "pk")
    for f in _iter(follows):
        yield {
            "question_id": f.question_id,
            "forum": f.forum.slug if f.forum else None,
            "created_at": f.created_at,
        }


gdpr.not_exported(
    KudosChange,
    reason="Kudos given or taken back, kept for a day only (who, when, which way) so that "
    "the daily kudos limit counts both; votes.json holds the kudos the member gives.",
)
gdpr.deleted_with_member(KudosChange)
gdpr.retained(
    Question,
    Answer,
    Comment,
    Revision,
    reason="Posts and their edit history stay for the community's intact threads "
    "(Art. 6(1)(f)), shown as by 'Deleted member' with no link to the member (SET_NULL); "
    "the member may choose to delete their posts (posts_erase).",
)


# Erasure -----------------------------------------------------------------------------


@gdpr.eraser(order=ERASE_ORDER)
def threads_changed(user) -> None:
    """Drops the cached answers fragments that show the member's name."""
    Question.objects.filter(
        Q(author=user)
        | Q(pk__in=Answer.objects.filter(author=user).values("question_id"))
        | Q(pk__in=Comment.objects.filter(author=user).values("answer__question_id"))
    ).update(version=F("version") + 1)


def _count(model, field: str):
    rows = model.objects.filter(**{field: OuterRef("pk")}).values(field).annotate(n=Count("*"))
    return Coalesce(Subquery(rows.values("n")), 0)


@gdpr.eraser(order=ERASE_ORDER, models=[Vote])
def votes_erase(user) -> None:
    """Deletes the member's kudos and recounts the scores of the posts they were on."""
    votes = Vote.objects.filter(user=user)
    question_ids = list(votes.exclude(question=None).values_list("question_id", flat=True))
    answer_ids = list(votes.exclude(answer=None).values_list("answer_id", flat=True))
    votes.delete()
    Question.objects.filter(pk__in=question_ids).update(vote_score=_count(Vote, "question"))
    Answer.objects.filter(pk__in=answer_ids).update(vote_score=_count(Vote, "answer"))


@gdpr.eraser(order=ERASE_ORDER, models=[SolvedToo])
def solved_too_pseudonymise(user) -> None:
    """Keeps the marks, so counts and credit stay, as if made by an anonymous visitor."""
    SolvedToo.objects.filter(user=user).update(user=None, session_hash=RandomHex())


@gdpr.eraser(order=ERASE_ORDER, models=[Follow])
def follows_erase(user) -> None:
    Follow.objects.filter(user=user).delete()


@gdpr.eraser(order=ERASE_ORDER, models=[Question, Answer, Comment], option=gdpr.DELETE_POSTS)
def posts_erase(user) -> None:
    """Deletes the member's comments, answers that are not accepted, and questions nobody
    else answered; accepted answers and questions others answered stay, anonymised."""
    Comment.objects.filter(author=user).delete()
    answers = Answer.objects.filter(author=user, question__accepted_answer=None)
    question_ids = set(answers.values_list("question_id", flat=True))
    answers.delete()
    questions = Question.objects.filter(author=user).exclude(
        pk__in=Answer.objects.exclude(author=user).values("question_id")
    )
    forum_ids = set(Question.objects.filter(pk__in=question_ids).values_list("forum_id", flat=True))
    forum_ids |= set(questions.values_list("forum_id", flat=True))
    questions.delete()
    Question.objects.filter(pk__in=question_ids).update(answer_count=_count(Answer, "question"))
    search.index_questions(Question.objects.filter(pk__in=question_ids))  # their words go
    Forum.objects.filter(pk__in=forum_ids).update(
        question_count=_count(Question, "forum"),
        answer_count=Coalesce(
            Subquery(
                Answer.objects.filter(question__forum=OuterRef("pk"))
                .values("question__forum")
                .annotate(n=Count("*"))
                .values("n")
            ),
            0,
        ),
    )
