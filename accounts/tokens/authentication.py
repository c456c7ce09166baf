"""How the API reads a personal access token, and the rules every token request meets:
staff tokens need a proven second factor, and the token needs the scope of what the
request does (`token_scopes` on the view, method -> scope; reading defaults to "read",
everything else to "write"). Refusals are JSON 401/403 through the API's handler."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

SAFE = ("GET", "HEAD", "OPTIONS")
# For views that show what any visitor sees: a token needs no scope to read them (they
# show a member's own non-public posts only through `reader`, with the "read" scope).
PUBLIC_READ = {"GET": None, "HEAD": None, "OPTIONS": None}


def required_scope(view, method: str) -> str | None:
    """HEAD runs the view as GET does (only the body is dropped): it needs GET's scope."""
    from accounts.models import ApiToken

    method = "GET" if method == "HEAD" else method
    default = ApiToken.Scope.READ if method in SAFE else ApiToken.Scope.WRITE
    return getattr(view, "token_scopes", {}).get(method, default)


def reader(request):
    """Whom a public read shows what: the member, unless their token may not read their
    private data (no "read" scope), then a visitor (their own hidden posts stay hidden)."""
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import ApiToken

    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken) and ApiToken.Scope.READ not in token.scopes:
        return AnonymousUser()
    return request.user


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`, as before)."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        # Imported here: DRF loads authentication classes while rest_framework.views is
        # still being imported, before the app registry may be used.
        from accounts.tokens import services

        scheme, _space, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() not in self.keywords:
            return None
        token = services.token_for_key(key.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if services.staff_token_refused(token):
            raise exceptions.PermissionDenied(services.staff_second_factor_message())
        view = request.parser_context.get("view") if request.parser_context else None
        scope = required_scope(view, request.method)
        if scope is not None and scope not in token.scopes:
            raise exceptions.PermissionDenied(
                _("This token lacks the “%(scope)s” scope. Create one that has it: %(url)s")
                % {"scope": scope, "url": services.tokens_page_url()}
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Bearer"
