"""The member's own consents: thin views over privacy.services and privacy.selectors.
Errors are JSON from config.api.exception_handler."""

import re

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from core.api import CSRF_FAILED, StrictBooleanField, responses
from privacy import selectors, services
from privacy.models import ConsentRecord

_DESCRIBED = {
    400: gettext_lazy("Invalid input, or a required purpose cannot be withdrawn."),
    403: CSRF_FAILED,
    404: gettext_lazy("No such purpose."),
}

_API = ConsentRecord.Method.API
_KEY = r"^[-a-zA-Z0-9_]+$"
_PURPOSE = OpenApiParameter(
    "purpose",
    str,
    OpenApiParameter.PATH,
    pattern=_KEY,
    description=gettext_lazy("The purpose's key, e.g. `newsletter`."),
)


class ConsentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentRecord
        fields = ["version", "granted", "method", "created_at"]


class ConsentStateSerializer(serializers.Serializer):
    purpose = serializers.CharField(source="purpose.key")
    name = serializers.CharField(source="purpose.local_name")
    description = serializers.CharField(source="purpose.local_description")
    required = serializers.BooleanField(source="purpose.required")
    version = serializers.IntegerField(source="text.version", allow_null=True)
    granted = serializers.BooleanField()
    since = serializers.DateTimeField(allow_null=True)
    history = ConsentRecordSerializer(many=True)


class ConsentChangeSerializer(serializers.Serializer):
    granted = StrictBooleanField()


@extend_schema(tags=["privacy"])
class ConsentListView(APIView):
    token_scopes = {"GET": ApiToken.Scope.PRIVACY, "POST": ApiToken.Scope.PRIVACY}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=responses({200: ConsentStateSerializer(many=True)}, 401, described=_DESCRIBED)
    )
    def get(self, request: Request) -> Response:
        """Every purpose with the member's state for its current version and full history."""
        states = selectors.consent_state(request.user)
        return Response(ConsentStateSerializer(states, many=True).data)


@extend_schema(tags=["privacy"])
class ConsentDetailView(APIView):
    token_scopes = {"GET": ApiToken.Scope.PRIVACY, "POST": ApiToken.Scope.PRIVACY}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[_PURPOSE],
        request=ConsentChangeSerializer,
        responses=responses(
            {200: ConsentStateSerializer}, 400, 401, 403, 404, 415, described=_DESCRIBED
        ),
    )
    def post(self, request: Request, purpose: str) -> Response:
        """Grant (`true`) or withdraw (`false`) consent to the purpose's current version.
        Idempotent; a required purpose cannot be withdrawn."""
        # Any path segment reaches here, so the 404 is JSON; PostgreSQL never sees odd bytes.
        if not re.fullmatch(_KEY, purpose):
            raise exceptions.NotFound()
        serializer = ConsentChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["granted"]:
            services.consent_grant(user=request.user, purpose_key=purpose, method=_API)
        else:
            services.consent_withdraw(user=request.user, purpose_key=purpose, method=_API)
        state = selectors.consent_state_for(request.user, purpose_key=purpose)
        return Response(ConsentStateSerializer(state).data)
