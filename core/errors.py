"""Errors that services raise besides Django's ValidationError and PermissionDenied.
Pages explain them (core.views.forbidden_page), the API answers them
(config.api.exception_handler)."""

from django.core.exceptions import PermissionDenied


class Conflict(Exception):
    """The request clashes with the current state (a second vote, a duplicate mark)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(PermissionDenied):
    """Too many actions of a kind in a period (moderation.gate). A PermissionDenied, so
    every page that explains a refusal explains this one; the API answers 429."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class ConsentRequired(PermissionDenied):
    """The member has not accepted the current version of a required text (the terms):
    `texts` names each ({"key", "name", "version", "url"}), `accept_url` where to accept.
    Pages link to it; the API answers 403 with code "consent_required"."""

    def __init__(self, message: str, *, texts: list[dict], accept_url: str):
        super().__init__(message)
        self.message = message
        self.texts = texts
        self.accept_url = accept_url
