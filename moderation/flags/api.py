"""Flagging over the API: a thin view over moderation.flags.services. Errors are JSON from
config.api.exception_handler; every status is declared in the schema."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import responses
from moderation import selectors
from moderation.flags import services
from moderation.models import TARGETS, Flag, FlagReason

_DESCRIBED = {
    403: _("Not allowed: your own post or profile, or flagging is suspended for you."),
    404: _("No such post or profile (or you cannot see it)."),
    409: _("You have flagged this already."),
    429: _("Too many flags today: the Retry-After header says when you can flag again."),
}
PK_MAX = 2**63 - 1  # a bigint: a larger id is unknown, not a database error


class FlagCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TARGETS)
    target_id = serializers.IntegerField(min_value=1, max_value=PK_MAX)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField(
        max_length=services.TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for the reason `other`."),
    )


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    target_type = serializers.ChoiceField(choices=TARGETS, source="target_kind")
    target_id = serializers.SerializerMethodField()
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_target_id(self, flag: Flag) -> int:
        return getattr(flag, f"{flag.target_kind}_id")


@extend_schema(tags=["moderation"])
class FlagCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FlagCreateSerializer,
        responses=responses(
            {201: FlagSerializer}, 400, 401, 403, 404, 409, 415, 429, described=_DESCRIBED
        ),
    )
    def post(self, request: Request) -> Response:
        """Flag a question, answer, comment or profile for the moderators: once per member
        and item, never one's own. Personal data exposed: the post is hidden at once."""
        serializer = FlagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = selectors.flag_target(data["target_type"], data["target_id"])
        flag = services.flag_create(
            flagger=request.user, target=target, reason=data["reason"], text=data["text"]
        )
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)
