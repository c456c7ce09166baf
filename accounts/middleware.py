from allauth.mfa.models import Authenticator
from django.shortcuts import redirect

from accounts import roles

# Where staff without a second factor may still go: allauth (to set one up or
# log out), static files, health checks and the language switcher.
OPEN_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/i18n/")


class StaffMFARequiredMiddleware:
    """Staff (moderators, support leads, community managers, admins) must use
    two-factor authentication: until they set up TOTP, every page sends them there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and roles.is_staff_member(user)
            and not request.path.startswith(OPEN_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
