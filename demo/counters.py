"""Set-based recomputation of the denormalised counters from the rows themselves."""

from django.db.models import F, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from community.models import Answer, Comment, Forum, Question, SolvedToo, Visibility, Vote

OUTER = OuterRef("pk")
VISIBLE = Visibility.VISIBLE


def _count(rows: QuerySet) -> Subquery:
    # COUNT through Func, not Count(): no GROUP BY, so an empty set counts 0.
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def _latest(rows: QuerySet) -> Subquery:
    return Subquery(rows.order_by().annotate(at=Func(F("created_at"), function="MAX")).values("at"))


def recount() -> None:
    """One UPDATE per table: answers, questions and forums get their counts and
    last activity from the answers, comments, votes and "solved too" marks. Counts are
    of visible posts, as community.visibility keeps them."""
    Answer.objects.update(vote_score=_count(Vote.objects.filter(answer=OUTER)))
    Question.objects.update(
        answer_count=_count(Answer.objects.filter(question=OUTER, visibility=VISIBLE)),
        vote_score=_count(Vote.objects.filter(question=OUTER)),
        solved_too_count=_count(SolvedToo.objects.filter(question=OUTER)),
        last_activity_at=Greatest(
            F("created_at"),
            Coalesce(
                _latest(Answer.objects.filter(question=OUTER, visibility=VISIBLE)),
                F("created_at"),
            ),
            Coalesce(
                _latest(Comment.objects.filter(answer__question=OUTER, visibility=VISIBLE)),
                F("created_at"),
            ),
        ),
    )
    Forum.objects.update(
        question_count=_count(Question.objects.filter(forum=OUTER, visibility=VISIBLE)),
        answer_count=_count(
            Answer.objects.filter(
                question__forum=OUTER, visibility=VISIBLE, question__visibility=VISIBLE
            )
        ),
    )
