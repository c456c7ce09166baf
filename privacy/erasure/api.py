"""POST /api/v1/me/erasure/: a thin view over privacy.erasure.services. Errors are JSON from
config.api.exception_handler."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from core.api import CSRF_FAILED, StrictBooleanField, responses
from privacy.erasure import services
from privacy.models import PrivacyRequest

_DESCRIBED = {
    400: gettext_lazy("The password is missing or not correct."),
    403: CSRF_FAILED,
    409: gettext_lazy("An erasure of this account is already scheduled."),
}


class ErasureRequestSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)
    delete_posts = StrictBooleanField(default=False)


class ErasureStateSerializer(serializers.ModelSerializer):
    erase_after = serializers.DateTimeField(source="act_after")

    class Meta:
        model = PrivacyRequest
        fields = ["state", "requested_at", "erase_after", "due_at"]


@extend_schema(tags=["privacy"])
class ErasureView(APIView):
    token_scopes = {"POST": ApiToken.Scope.PRIVACY}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ErasureRequestSerializer,
        responses=responses(
            {202: ErasureStateSerializer}, 400, 401, 403, 409, 415, described=_DESCRIBED
        ),
    )
    def post(self, request: Request) -> Response:
        """Deactivates the account at once and erases it after the grace period; the
        emailed link cancels. The API token stops working immediately."""
        serializer = ErasureRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheduled = services.erasure_request(user=request.user, **serializer.validated_data)
        return Response(ErasureStateSerializer(scheduled).data, status=status.HTTP_202_ACCEPTED)
