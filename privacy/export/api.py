"""POST /api/v1/me/export/: a thin view over privacy.export.services.export_request.
Errors are JSON from config.api.exception_handler."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from core.api import CSRF_FAILED, responses
from privacy.export import services
from privacy.models import PrivacyRequest


class ExportStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyRequest
        fields = ["id", "state", "requested_at", "due_at", "act_after"]


@extend_schema(tags=["privacy"])
class ExportRequestView(APIView):
    token_scopes = {"GET": ApiToken.Scope.PRIVACY, "POST": ApiToken.Scope.PRIVACY}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=responses(
            {201: ExportStateSerializer},
            400,
            401,
            403,
            409,
            described={
                400: gettext_lazy("The daily limit of exports is reached."),
                403: CSRF_FAILED,
                409: gettext_lazy("An export is already being prepared."),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        """Requests an export of all the member's data. A task builds a zip and emails a
        single-use download link (7 days) when it is ready; `state` goes queued, building,
        ready, expired (or failed)."""
        created = services.export_request(user=request.user)
        return Response(ExportStateSerializer(created).data, status=status.HTTP_201_CREATED)
