"""The community's REST API: thin views over community.services and community.selectors.

Every error is JSON from config.api.exception_handler; each operation declares
every status it can answer with (core.api.responses), so the OpenAPI schema is the whole
contract.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from accounts.tokens.authentication import PUBLIC_READ, reader
from community import rules, search, selectors, services
from community.api import serializers as s
from community.models import Answer, Question
from core.api import Pagination, responses
from insights import proof
from insights.models import EventKind
from search import engine

# The limits that answer 429 differ by operation: the member's trust level, and for
# "solved too" marks also one session's.
TOO_FAST = {
    429: gettext_lazy(
        "Too many of these for the member's trust level (or, for 'solved too' marks, from "
        "one session today); the Retry-After header says when to try again (seconds)."
    )
}


def _valid(serializer_class: type[Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _seen(post: Question | Answer, user) -> Question | Answer:
    """The post, if the member may see it and its question (rules.can_see); else a 404."""
    question = post if isinstance(post, Question) else post.question
    if not (rules.can_see(user=user, post=post) and rules.can_see(user=user, post=question)):
        raise exceptions.NotFound()
    return post


def _question_detail(pk: int, request: Request, *, user=None) -> dict:
    """With the visible answers, then those that are not public but `user` (by default
    the member) sees."""
    user = user or request.user
    question = _seen(selectors.question_detail(pk), user)
    answers = [
        *selectors.answers_for(question, user=user),
        *selectors.unlisted_answers_for(question, user=user),
    ]
    context = {
        "answers": answers,
        "solved_too_proof": proof.proof_for_visitor(
            request, question_id=question.pk, kind=EventKind.SOLVED_TOO
        ),
    }
    return s.QuestionDetailSerializer(question, context=context).data


# --- Forums -------------------------------------------------------------------------


@extend_schema(tags=["forums"])
class ForumListView(APIView):
    token_scopes = PUBLIC_READ

    @extend_schema(responses=responses({200: s.ForumSerializer(many=True)}, 401))
    def get(self, request: Request) -> Response:
        """All forums in their display order."""
        return Response(s.ForumSerializer(selectors.forum_list(), many=True).data)


@extend_schema(tags=["forums"])
class ForumDetailView(APIView):
    token_scopes = PUBLIC_READ

    @extend_schema(responses=responses({200: s.ForumSerializer}, 401, 404))
    def get(self, request: Request, slug: str) -> Response:
        """One forum by its slug."""
        return Response(s.ForumSerializer(selectors.forum_list().get(slug=slug)).data)


# --- Questions ----------------------------------------------------------------------


def _ranked(questions: QuerySet, q: str, narrowed: bool) -> list[int]:
    """Ids of the full-text matches among `questions` if `narrowed`, else among all
    visible questions, best first (ids only: the API shows no snippets)."""
    return search.ranked_ids(engine.parse(q), within=questions if narrowed else None)


@extend_schema(tags=["questions"])
class QuestionListView(APIView):
    token_scopes = PUBLIC_READ
    pagination_class = Pagination

    @extend_schema(
        parameters=[s.QuestionFilterSerializer],
        responses=responses({200: s.QuestionSerializer(many=True)}, 400, 401, 404),
    )
    def get(self, request: Request) -> Response:
        """Questions, filtered and sorted; with `q`, full-text matches ranked best first."""
        # A plain dict: an empty `state=` is then refused like any other invalid choice.
        filters = _valid(s.QuestionFilterSerializer, request.query_params.dict())
        q = filters.pop("q", "")
        questions = selectors.question_list(**filters)
        paginator = self.pagination_class()
        if q:
            narrowed = bool(filters.get("forum") or filters.get("tag")) or filters["state"] != "all"
            ids = paginator.paginate_queryset(_ranked(questions, q, narrowed), request, view=self)
            found = questions.in_bulk(ids)
            page = [found[pk] for pk in ids if pk in found]  # the ids are kept a while
        else:
            page = paginator.paginate_queryset(questions, request, view=self)
        return paginator.get_paginated_response(s.QuestionSerializer(page, many=True).data)

    @extend_schema(
        request=s.QuestionCreateSerializer,
        responses=responses(
            {201: s.QuestionDetailSerializer}, 400, 401, 403, 415, 429, described=TOO_FAST
        ),
    )
    def post(self, request: Request) -> Response:
        """Ask a question (markdown body) in a forum. One that is held for review comes
        back with `visibility` "pending" and is public once a moderator approves it."""
        question = services.question_create(
            author=request.user, **_valid(s.QuestionCreateSerializer, request.data)
        )
        return Response(_question_detail(question.pk, request), status=status.HTTP_201_CREATED)


@extend_schema(tags=["questions"])
class QuestionDetailView(APIView):
    token_scopes = PUBLIC_READ

    @extend_schema(responses=responses({200: s.QuestionDetailSerializer}, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        """A question with all its answers (accepted first, then by kudos) and their comments.
        Its author and moderators also get what is not public (with a token, only if it
        has the `read` scope)."""
        return Response(_question_detail(pk, request, user=reader(request)))

    @extend_schema(
        request=s.QuestionEditSerializer,
        responses=responses({200: s.QuestionDetailSerializer}, 400, 401, 403, 404, 415),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Edit a question (its author or a moderator); fields left out keep their value."""
        question = _seen(Question.objects.get(pk=pk), request.user)
        data = _valid(s.QuestionEditSerializer, request.data)
        services.question_edit(
            question=question,
            by=request.user,
            title=data.get("title", question.title),
            body=data.get("body", question.body),
            tags=data.get("tags"),
        )
        return Response(_question_detail(pk, request))


@extend_schema(tags=["answers"])
class AcceptedAnswerView(APIView):
    @extend_schema(request=None, responses=responses({200: s.QuestionSerializer}, 401, 403, 404))
    def delete(self, request: Request, pk: int) -> Response:
        """Un-accept the accepted answer (the asker or a moderator). Idempotent."""
        question = selectors.visible_questions().get(pk=pk)
        services.answer_unaccept(question=question, by=request.user)
        return Response(s.QuestionSerializer(selectors.question_detail(pk)).data)


@extend_schema(tags=["questions"])
class SolvedTooView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.SolvedTooRequestSerializer,
        responses=responses(
            {201: s.SolvedTooSerializer}, 400, 401, 403, 404, 409, 429, described=TOO_FAST
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Say "this solved my problem too": once per member, or per anonymous visitor and
        question. Anonymous callers send the `solved_too_proof` of the question they read
        (400 without a valid one). The question needs an answer. Marks are limited per day
        per member, visitor and network (429 beyond)."""
        question = selectors.visible_questions().get(pk=pk)
        body = _valid(s.SolvedTooRequestSerializer, request.data)
        visitor = proof.anonymous_visitor(
            request._request,
            request.user,
            proof=body.get("proof", ""),
            question_id=question.pk,
            kind=EventKind.SOLVED_TOO,
        )
        services.solved_too_mark(
            question=question,
            user=request.user,
            visitor=visitor,
            network=proof.network_of_request(request._request),
            session=request.session,
        )
        question.refresh_from_db(fields=["solved_too_count"])
        return Response(s.SolvedTooSerializer(question).data, status=status.HTTP_201_CREATED)


# --- Answers ------------------------------------------------------------------------


@extend_schema(tags=["answers"])
class AnswerCreateView(APIView):
    @extend_schema(
        request=s.AnswerWriteSerializer,
        responses=responses(
            {201: s.AnswerSerializer}, 400, 401, 403, 404, 415, 429, described=TOO_FAST
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Answer a question (markdown body); a locked thread refuses (403). An answer
        held for review comes back with `visibility` "pending"."""
        question = selectors.visible_questions().get(pk=pk)
        answer = services.answer_create(
            question=question, author=request.user, **_valid(s.AnswerWriteSerializer, request.data)
        )
        return Response(s.AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["answers"])
class AnswerDetailView(APIView):
    @extend_schema(
        request=s.AnswerWriteSerializer,
        responses=responses({200: s.AnswerSerializer}, 400, 401, 403, 404, 415),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Edit an answer (its author or a moderator)."""
        answer = _seen(Answer.objects.select_related("author", "question").get(pk=pk), request.user)
        answer = services.answer_edit(
            answer=answer, by=request.user, **_valid(s.AnswerWriteSerializer, request.data)
        )
        return Response(s.AnswerSerializer(answer).data)


@extend_schema(tags=["answers"])
class AnswerAcceptView(APIView):
    @extend_schema(request=None, responses=responses({200: s.QuestionSerializer}, 401, 403, 404))
    def post(self, request: Request, pk: int) -> Response:
        """Accept this answer (the asker or a moderator). Idempotent."""
        answer = services.answer_accept(
            answer=selectors.visible_answers().get(pk=pk), by=request.user
        )
        return Response(s.QuestionSerializer(selectors.question_detail(answer.question_id)).data)


# --- Kudos --------------------------------------------------------------------------


@extend_schema(tags=["kudos"])
class KudosView(APIView):
    posts: Callable[[], QuerySet]  # the visible posts of a kind

    def _score(self, post: Question | Answer, code: int) -> Response:
        post.refresh_from_db(fields=["vote_score"])
        return Response(s.KudosSerializer(post).data, status=code)

    @extend_schema(
        request=None,
        responses=responses({201: s.KudosSerializer}, 401, 403, 404, 409, 429, described=TOO_FAST),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Give kudos: one per member and post, never on one's own post."""
        post = self.posts().get(pk=pk)
        services.vote_cast(user=request.user, post=post)
        return self._score(post, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=responses({200: s.KudosSerializer}, 401, 403, 404, 409))
    def delete(self, request: Request, pk: int) -> Response:
        """Withdraw one's kudos."""
        post = self.posts().get(pk=pk)
        services.vote_withdraw(user=request.user, post=post)
        return self._score(post, status.HTTP_200_OK)


class QuestionKudosView(KudosView):
    posts = staticmethod(selectors.visible_questions)


class AnswerKudosView(KudosView):
    posts = staticmethod(selectors.visible_answers)
