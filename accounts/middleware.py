from django.contrib.auth import middleware as auth_middleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from accounts import role_cache
from accounts.tokens.services import second_factor_missing, staff_second_factor_message

# Where staff without a second factor may still go: allauth (to set one up or
# log out), static files, health checks and the language switcher.
OPEN_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/i18n/")


class StaffMFARequiredMiddleware:
    """Staff (moderators, support leads, community managers, admins) must use
    two-factor authentication: until they set up TOTP, every page sends them there and
    the API (with a session) answers a JSON 403 that says so. Token requests are checked
    by the API's token authentication (accounts.tokens.authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and second_factor_missing(request.user):
            if request.path.startswith("/api/"):
                body = {"detail": staff_second_factor_message(), "code": "second_factor_required"}
                return JsonResponse(body, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the member's groups and permissions from the cache
    (accounts.role_cache): three queries fewer on every page."""

    def process_request(self, request):
        super().process_request(request)
        user = SimpleLazyObject(lambda: role_cache.attach(auth_middleware.get_user(request)))
        request.user = user
