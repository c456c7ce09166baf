from django.http import JsonResponse
from django.shortcuts import redirect

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
