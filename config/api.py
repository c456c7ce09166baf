"""One exception handler for the whole API: every error is JSON with a clear message.

Body: {"detail": "<message>", "code": "<code>", "errors": {"<field>": ["<message>", ...]}}
("errors" only for validation errors), declared as core.api.ErrorSerializer.

The error views at the end answer the same body for what fails before or outside DRF under
/api/ (no URL matches, a bad request, an uncaught error); config.urls names them as the
project's handler400/403/404/500.
"""

import sys

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, ConsentRequired, RateLimited


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This clashes with the current state.")
    default_code = "conflict"


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, RateLimited):
        return exceptions.Throttled(wait=exc.retry_after, detail=exc.message)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, Conflict):
        return ConflictError(exc.message)
    return exc


def _flatten(errors, prefix="") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            flat.update(_flatten(value, f"{prefix}{key}." if prefix or key else ""))
        return flat
    if isinstance(errors, list) and errors and not all(isinstance(e, str) for e in errors):
        for index, value in enumerate(errors):
            flat.update(_flatten(value, f"{prefix}{index}."))
        return flat
    flat[prefix.rstrip(".") or "non_field_errors"] = [str(e) for e in errors]
    return flat


def exception_handler(exc, context):
    original, exc = exc, _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail if isinstance(exc.detail, dict | list) else [exc.detail])
        fields = [name for name in errors if name != "non_field_errors"]
        detail = (
            _("Please correct these fields: %(fields)s.") % {"fields": ", ".join(fields)}
            if fields
            else errors["non_field_errors"][0]
        )
        body = {"detail": detail, "code": "invalid", "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = {"detail": str(detail), "code": code}
    if isinstance(original, ConsentRequired):
        body |= {"code": "consent_required", "texts": original.texts}
        body["accept_url"] = original.accept_url
    return Response(body, status=response.status_code, headers=dict(response.headers))


# --- Error views for the whole site: JSON under /api/, the HTML pages elsewhere ----------


def _for_api(request: HttpRequest) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def _json(exc: exceptions.APIException) -> JsonResponse:
    return JsonResponse(
        {"detail": str(exc.detail), "code": exc.detail.code}, status=exc.status_code
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(exceptions.ParseError())
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(exceptions.PermissionDenied(str(exception) or None))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(exceptions.NotFound())
    return defaults.page_not_found(request, exception)


# How long to wait before trying again when the database was away (a restart, a failover).
RETRY_SECONDS = 5


class DatabaseAway(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("We are back in a moment: please try again.")
    default_code = "unavailable"


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500, or a 503 with Retry-After while the database is away (it restarts, fails
    over): nothing was done, trying again shortly works. Called while the exception is
    being handled, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], OperationalError):
        response = (
            _json(DatabaseAway())
            if _for_api(request)
            else HttpResponse(render_to_string("503.html"), status=503)
        )
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    if _for_api(request):
        return _json(exceptions.APIException())
    return defaults.server_error(request)


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any path under /api that nothing else answers, with or without a trailing slash
    (so Django's APPEND_SLASH never sends an HTML redirect there). It changes nothing, so
    a write without a CSRF token is a 404 too, not the HTML page of a CSRF failure."""
    return _json(exceptions.NotFound())
