"""What the API reads and writes. Output never carries an email address: authors
are {id, display_name}, or null once a member has erased their account.

Output serializers are read-only; input serializers take their limits from
settings.PEERDESK (community.rules), so the schema states them too."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community import selectors
from community.models import Answer, Comment, Forum, Language, Question, Tag
from community.rules import limit
from core.api import ObjectBySlugField


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)


def _author() -> AuthorSerializer:
    return AuthorSerializer(read_only=True, allow_null=True)


class OutputSerializer(serializers.ModelSerializer):
    def get_fields(self) -> dict:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class ForumSerializer(OutputSerializer):
    class Meta:
        model = Forum
        fields = ["id", "name", "slug", "description", "position", "question_count", "answer_count"]


# Where a post stands with moderation: only its author and moderators ever get one that
# is not "visible", with the moderator's note.
MODERATION_FIELDS = ["visibility", "moderation_note"]


class CommentSerializer(OutputSerializer):
    author = _author()

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "body_html",
            "created_at",
            "edited_at",
            *MODERATION_FIELDS,
        ]


class AnswerSerializer(OutputSerializer):
    question = serializers.IntegerField(source="question_id", read_only=True)
    author = _author()

    class Meta:
        model = Answer
        fields = [
            "id",
            "question",
            "author",
            "body",
            "body_html",
            "is_official",
            "vote_score",
            "created_at",
            "edited_at",
            *MODERATION_FIELDS,
        ]


class AnswerWithCommentsSerializer(AnswerSerializer):
    comments = CommentSerializer(many=True, read_only=True)

    class Meta(AnswerSerializer.Meta):
        fields = [*AnswerSerializer.Meta.fields, "comments"]


class QuestionSerializer(OutputSerializer):
    """A question as a list shows it (no text)."""

    forum = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = _author()
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    accepted_answer = serializers.IntegerField(
        source="accepted_answer_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "forum",
            "title",
            "author",
            "tags",
            "language",
            "status",
            "answer_count",
            "vote_score",
            "solved_too_count",
            "accepted_answer",
            "created_at",
            "edited_at",
            "last_activity_at",
            "locked_at",
            *MODERATION_FIELDS,
        ]


class QuestionDetailSerializer(QuestionSerializer):
    """The question with its text and its answers, accepted first, then by kudos."""

    # The view passes the answers (from `selectors.answers_for`) in the context.
    answers = serializers.SerializerMethodField()

    solved_too_proof = serializers.SerializerMethodField(
        help_text=_(
            "For anonymous callers: the proof of this page view that POST …/solved-too/ "
            "needs (valid for two hours, bound to the caller's address and user agent). "
            "Empty for members."
        )
    )

    class Meta(QuestionSerializer.Meta):
        fields = [
            *QuestionSerializer.Meta.fields,
            "body",
            "body_html",
            "answers",
            "solved_too_proof",
        ]

    @extend_schema_field(AnswerWithCommentsSerializer(many=True))
    def get_answers(self, question: Question) -> list[dict]:
        return AnswerWithCommentsSerializer(self.context["answers"], many=True).data

    def get_solved_too_proof(self, question: Question) -> str:
        return self.context.get("solved_too_proof", "")


class SolvedTooRequestSerializer(serializers.Serializer):
    proof = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=_("Anonymous callers: `solved_too_proof` from GET /api/v1/questions/{id}/."),
    )


# --- Input ---------------------------------------------------------------------------


class ForumField(ObjectBySlugField):
    """A forum named by its slug; answers with the Forum itself."""

    def __init__(self, **kwargs):
        super().__init__(Forum, missing=_("There is no forum with this slug."), **kwargs)


def _title(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        min_length=limit("QUESTION_TITLE_MIN"), max_length=limit("QUESTION_TITLE_MAX"), **kwargs
    )


def _body(minimum: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(min_length=limit(minimum), max_length=limit("BODY_MAX"), **kwargs)


TAG_MAX = Tag._meta.get_field("name").max_length


def _tags(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX), max_length=limit("TAGS_MAX"), **kwargs
    )


class QuestionFilterSerializer(serializers.Serializer):
    forum = ForumField(required=False, allow_blank=True, help_text=_("Only this forum (slug)."))
    state = serializers.ChoiceField(choices=selectors.FILTERS, default="all")
    sort = serializers.ChoiceField(
        choices=list(selectors.SORTS),
        default="active",
        help_text=_("Ignored with `q`: search results are ranked best first."),
    )
    tag = serializers.CharField(
        required=False, allow_blank=True, max_length=TAG_MAX, help_text=_("Only this tag.")
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Full-text search in titles, texts and answers: the best 500 matches."),
    )


class QuestionCreateSerializer(serializers.Serializer):
    forum = ForumField(help_text=_("The forum's slug."))
    title = _title()
    body = _body("QUESTION_BODY_MIN", help_text=_("Markdown."))
    tags = _tags(required=False, default=list)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class QuestionEditSerializer(serializers.Serializer):
    """Fields left out keep their value."""

    title = _title(required=False)
    body = _body("QUESTION_BODY_MIN", required=False, help_text=_("Markdown."))
    tags = _tags(required=False)


class AnswerWriteSerializer(serializers.Serializer):
    body = _body("ANSWER_BODY_MIN", help_text=_("Markdown."))


class KudosSerializer(serializers.Serializer):
    vote_score = serializers.IntegerField(read_only=True)


class SolvedTooSerializer(serializers.Serializer):
    solved_too_count = serializers.IntegerField(read_only=True)
