"""The member's notifications and preferences over the API: thin views over
notifications.selectors and notifications.services. Errors are JSON from
config.api.exception_handler; another member's notification is a 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CSRF_FAILED, Pagination, responses
from notifications import presentation, selectors, services
from notifications.models import Channel, Kind, Notification

NOT_YOURS = _("No such notification of yours (or no such page).")
DESCRIBED = {403: CSRF_FAILED, 404: NOT_YOURS}


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    summary = serializers.SerializerMethodField(
        help_text=_(
            "One line in the request's language; names nothing the member may no longer see."
        )
    )
    url = serializers.SerializerMethodField(
        help_text=_("The path of what it is about; empty when there is nothing to show.")
    )
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_summary(self, notification: Notification) -> str:
        return presentation.summary(notification)

    def get_url(self, notification: Notification) -> str:
        return presentation.link(notification)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many were unread."))


# One named component: as enums, the fields would each be named after their kind.
@extend_schema_field(
    {"type": "string", "enum": list(Channel.values)}, component_name="NotificationChannel"
)
class ChannelField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=Channel.choices, **kwargs)


PreferencesSerializer = type(
    "PreferencesSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The channel of each kind: off, in the app only, email, daily digest.",
        **{kind: ChannelField(required=False, help_text=label) for kind, label in Kind.choices},
    },
)


@extend_schema(tags=["notifications"])
class NotificationListView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(
        responses=responses({200: NotificationSerializer(many=True)}, 401, 404, described=DESCRIBED)
    )
    def get(self, request: Request) -> Response:
        """The member's own notifications, newest first."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.notifications_for(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


@extend_schema(tags=["notifications"])
class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=responses({200: NotificationSerializer}, 401, 403, 404, described=DESCRIBED),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Marks one of the member's notifications read (again: no change)."""
        try:
            notification = services.notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            raise exceptions.NotFound(NOT_YOURS) from None
        return Response(NotificationSerializer(notification).data)


@extend_schema(tags=["notifications"])
class NotificationReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses=responses({200: MarkedSerializer}, 401, 403, described=DESCRIBED)
    )
    def post(self, request: Request) -> Response:
        """Marks all the member's notifications read."""
        marked = services.notifications_mark_all_read(user=request.user)
        return Response(MarkedSerializer({"marked": marked}).data)


@extend_schema(tags=["notifications"])
class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=responses({200: PreferencesSerializer}, 401, described=DESCRIBED))
    def get(self, request: Request) -> Response:
        """The channel of every kind (the member's choice or the default)."""
        return Response(PreferencesSerializer(selectors.channels_for(request.user)).data)

    @extend_schema(
        request=PreferencesSerializer,
        responses=responses({200: PreferencesSerializer}, 400, 401, 403, 415, described=DESCRIBED),
    )
    def put(self, request: Request) -> Response:
        """Sets the channels of the kinds given; kinds left out keep theirs."""
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channels = services.preferences_set(user=request.user, channels=serializer.validated_data)
        return Response(PreferencesSerializer(channels).data)
