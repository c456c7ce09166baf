"""Records the household signals of logged-in members (see rewards.fraud.household)."""

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.net import client_ip
from rewards.fraud.household import household_record

logger = logging.getLogger(__name__)

SESSION_KEY = "rewards_household_day"


class HouseholdSignalMiddleware:
    """Place after AuthenticationMiddleware. Records at most once a day per session: the
    day is remembered in the session, so other page views cost no query. Runs after the
    view, so the request that logs a member in counts too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_active):
            return response
        today = timezone.localdate().isoformat()
        if request.session.get(SESSION_KEY) == today:
            return response
        try:
            household_record(
                user=user,
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
            )
        except DatabaseError:
            # A fraud signal is never worth a failed page (e.g. a member erased meanwhile).
            logger.exception("Could not record household signals of member %s", user.pk)
            return response
        request.session[SESSION_KEY] = today
        return response
