"""POST /api/v1/me/erasure/: a thin view over privacy.erasure. Errors are JSON from
config.api.exception_handler."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from config.api import ErrorSerializer
from privacy import erasure
from privacy.models import PrivacyRequest

_ERRORS = {
    400: gettext_lazy("The password is missing or not correct."),
    401: gettext_lazy("Not logged in, or the token is invalid."),
    403: gettext_lazy("A failed CSRF check with session login."),
    406: gettext_lazy("Responses are application/json only (see the Accept header)."),
    409: gettext_lazy("An erasure of this account is already scheduled."),
    415: gettext_lazy("The body must be application/json."),
}


class ErasureRequestSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)
    delete_posts = serializers.BooleanField(default=False)


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
        responses={202: ErasureStateSerializer}
        | {
            code: OpenApiResponse(ErrorSerializer, description=description)
            for code, description in _ERRORS.items()
        },
    )
    def post(self, request: Request) -> Response:
        """Deactivates the account at once and erases it after the grace period; the
        emailed link cancels. The API token stops working immediately."""
        serializer = ErasureRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheduled = erasure.erasure_request(user=request.user, **serializer.validated_data)
        return Response(ErasureStateSerializer(scheduled).data, status=status.HTTP_202_ACCEPTED)
