"""Asks members to accept a new version of a required text on their next page view."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from privacy import consent_cache

# Pages a member must reach without accepting: logging in and out, the privacy pages
# themselves, files, the API (it answers programs, not people), health checks, the admin.
EXEMPT_PREFIXES = (
    "/accounts/",
    "/notifications/unsubscribe/",
    "/privacy/",
    "/api/",
    "/healthz",
    "/admin/",
    "/i18n/",
    settings.STATIC_URL,
    settings.MEDIA_URL,
)


class RequiredConsentMiddleware:
    """Place after AuthenticationMiddleware (and HtmxMiddleware). The answer is kept in
    the cache (privacy.consent_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._applies(request) and not consent_cache.required_accepted(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('privacy:accept')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        return (
            request.method == "GET"
            and request.user.is_authenticated
            # A fragment swapped into a page cannot become a redirect to a whole page.
            and not request.headers.get("HX-Request")
            and not request.path.startswith(EXEMPT_PREFIXES)
        )
