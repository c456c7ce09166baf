"""POST /api/v1/auth/token/: a password grant for scripts of members without a second
factor, behind the login form's own throttles (allauth's, per address and per account),
so this door is no easier to guess through than the form."""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from allauth.core import ratelimit
from allauth.core.internal.ratelimit import parse_rates
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.emails import email_normalize
from accounts.tokens import services
from core.api import RETRY_AFTER, responses
from core.errors import RateLimited


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", read_only=True, help_text=_("Shown only now."))
    name = serializers.CharField(source="token.name", read_only=True)
    scopes = serializers.ListField(source="token.scopes", child=serializers.CharField())
    expires_at = serializers.DateTimeField(source="token.expires_at", read_only=True)


def _throttled(action: str) -> RateLimited:
    """allauth does not say when a limit frees up: the longest window it counts is a
    safe answer for Retry-After."""
    rates = parse_rates(allauth_settings.RATE_LIMITS.get(action) or "")
    wait = max((int(rate.duration) for rate in rates), default=60)
    message = _("Too many login attempts. Please try again later.")
    return RateLimited(message, retry_after=wait)


@extend_schema(tags=["auth"])
class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses=responses(
            {201: TokenSerializer},
            400,
            403,
            415,
            429,
            described={
                403: _(
                    "The account uses two-factor authentication (all staff do): create a "
                    "personal access token on the settings page instead."
                ),
                429: _(
                    "Too many attempts from this address or for this account, counted with "
                    "the login form's; Retry-After says when to try again (seconds)."
                ),
            },
        ),
        parameters=[RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        """Exchange email and password for a personal access token (scopes `read` and
        `write`, valid 30 days, listed and revocable on the member's settings page); send
        it as `Authorization: Bearer <token>`. Accounts with a second factor get 403."""
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = email_normalize(serializer.validated_data["email"])
        django_request = request._request
        if not ratelimit.consume(django_request, action="login"):
            raise _throttled("login")
        try:
            # allauth's authenticate counts failures per address and per account, exactly
            # as the login form does; it also returns inactive members, refused below.
            user = get_adapter(django_request).authenticate(
                django_request, email=email, password=serializer.validated_data["password"]
            )
        except ValidationError:
            raise _throttled("login_failed") from None
        if user is None or not user.is_active:
            raise exceptions.ValidationError(_("The email address or the password is wrong."))
        if _unconfirmed(user):
            raise exceptions.ValidationError(_("Please confirm your email address first."))
        new = services.token_login(user=user)
        return Response(TokenSerializer(new).data, status=status.HTTP_201_CREATED)


def _unconfirmed(user) -> bool:
    """Whether the site requires a confirmed email address (as its login does) and it is not."""
    if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.MANDATORY:
        return False
    return not has_verified_email(user)
