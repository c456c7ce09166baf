"""/api/v1/me/customer-account/: thin views over accounts.customer_link.services. Errors
are JSON from config.api.exception_handler. A member only ever sees their own link."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.customer_link import services
from accounts.models import CustomerAccountLink
from core.api import CSRF_FAILED, responses

NOT_LINKED = gettext_lazy("You have not linked a customer number.")
DESCRIBED = {
    400: gettext_lazy(
        "Bad input, nothing changed: a malformed customer number or one linked to another "
        "member; a code that is malformed, wrong, expired or had too many wrong tries."
    ),
    403: CSRF_FAILED,
    404: NOT_LINKED,
}


class CustomerLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerAccountLink
        fields = [
            "customer_number",
            "state",
            "method",
            "created_at",
            "code_sent_at",
            "code_expires_at",
            "verified_at",
        ]
        extra_kwargs = {
            "method": {"help_text": "How a verified link was verified: by code or by staff."},
            "code_expires_at": {"help_text": "Until when the latest code works (pending only)."},
        }


class CustomerNumberSerializer(serializers.Serializer):
    customer_number = serializers.CharField(max_length=60)


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class CodeNotSentError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "code_not_sent"


def _link_response(link: CustomerAccountLink, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(CustomerLinkSerializer(link).data, status=status_code)


@extend_schema(tags=["customer account"])
class CustomerLinkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=responses({200: CustomerLinkSerializer}, 401, 404, described=DESCRIBED)
    )
    def get(self, request: Request) -> Response:
        """The member's current customer-account link: pending (waiting for its code) or
        verified (points are credited to it)."""
        link = services.current_link_for(request.user)
        if link is None:
            raise exceptions.NotFound(NOT_LINKED)
        return _link_response(link)

    @extend_schema(
        request=CustomerNumberSerializer,
        responses=responses(
            {201: CustomerLinkSerializer},
            400,
            401,
            403,
            409,
            415,
            429,
            503,
            described=DESCRIBED
            | {
                409: gettext_lazy("This customer number is already verified for you."),
                429: gettext_lazy(
                    "Too many codes: one a minute, five a day (see the Retry-After header)."
                ),
                503: gettext_lazy(
                    "The link is saved (pending), but its code could not be sent: post the "
                    "number again later."
                ),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        """Links a customer number (spaces are ignored, letters upper-cased) and sends it
        a code through the billing system; the link is pending until verified. Another
        number replaces the current link; the pending number again sends a new code."""
        serializer = CustomerNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            link = services.customer_link_start(user=request.user, **serializer.validated_data)
        except services.TooManyCodes as error:
            raise exceptions.Throttled(wait=error.retry_after, detail=error.message) from None
        except services.CodeNotSent as error:
            raise CodeNotSentError(error.message) from None
        return _link_response(link, status.HTTP_201_CREATED)

    @extend_schema(responses=responses({204: None}, 401, 403, 404, described=DESCRIBED))
    def delete(self, request: Request) -> Response:
        """Removes the link (kept as history); no more points are credited to it."""
        if not services.customer_link_revoke(user=request.user):
            raise exceptions.NotFound(NOT_LINKED)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["customer account"])
class CustomerLinkVerifyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CodeSerializer,
        responses=responses(
            {200: CustomerLinkSerializer},
            400,
            401,
            403,
            409,
            415,
            described=DESCRIBED | {409: gettext_lazy("No customer number is waiting for a code.")},
        ),
    )
    def post(self, request: Request) -> Response:
        """Verifies the pending link with the code the billing system sent. A wrong code
        counts: after five, ask for a new code (POST the number again)."""
        serializer = CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.customer_link_verify(user=request.user, **serializer.validated_data)
        return _link_response(link)
