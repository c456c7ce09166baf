"""What every API module declares the same way: the error body and the error responses in
the OpenAPI schema, the Retry-After header of a 429, the refusals any operation may
answer, page-number pagination, and an object named by its slug in a query or a body."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RequiredTextSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    url = serializers.URLField()


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField()
    code = serializers.CharField()
    # A field named like Serializer.errors: this serializer only describes the body.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    texts = RequiredTextSerializer(
        many=True, required=False, help_text=_("consent_required: what to accept.")
    )
    accept_url = serializers.URLField(
        required=False, help_text=_("consent_required: where to accept it.")
    )


ERRORS = {
    400: _("Invalid input; `errors` names each field."),
    401: _("Not logged in, or the token is invalid, expired or revoked."),
    403: _(
        "Not allowed: for this member, for a token without the needed scope, for staff "
        "without a second factor, or until the required texts are accepted."
    ),
    404: _("No such object (or page)."),
    406: _("Responses are application/json only (see the Accept header)."),
    409: _("Clashes with the current state."),
    415: _("The body must be application/json."),
    429: _("Too many of these now; the Retry-After header says when to try again (seconds)."),
    503: _(
        "The database is away for a moment (a restart); nothing was done. Retry-After "
        "says when to try again (seconds)."
    ),
}
# The 400 of an operation that reads only its query; the only 403 of an operation on the
# member's own data that any member may do.
INVALID_QUERY = _("Invalid query parameters; `errors` names each one.")
CSRF_FAILED = _("A failed CSRF check with session login.")
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds until the request may be repeated."),
)


def responses(ok: dict, *codes: int, described: "Mapping[int, StrOrPromise] | None" = None) -> dict:
    """The success responses plus an error body for each of `codes`, and 406, which any
    operation answers to an Accept header without JSON. `described` words some of them
    for the module or the operation (a code only there is not declared)."""
    texts = {**ERRORS, **(described or {})}
    return ok | {
        code: OpenApiResponse(ErrorSerializer, description=texts[code])
        for code in sorted({*codes, 406})
    }


def declare_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: any operation may be refused with 403 (staff
    without a second factor, a token without the scope) or answer 503 while the database
    restarts, so each declares both."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                for code in (403, 503):
                    operation["responses"].setdefault(
                        str(code), {"description": str(ERRORS[code]), "content": error}
                    )
    return result


class Pagination(PageNumberPagination):
    """An empty `page=` is as invalid as `page=abc` (404), as the schema's integer says."""

    def get_page_number(self, request: Request, paginator) -> str | int:
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)


class ObjectBySlugField(serializers.SlugField):
    """An object of `model` named by its slug; validates to the object itself (None when
    blank). `missing` is the error when no object has the slug."""

    def __init__(self, model: type[models.Model], *, missing: "StrOrPromise", **kwargs: Any):
        self.model = model
        slug = cast(models.SlugField, model._meta.get_field("slug"))
        super().__init__(max_length=slug.max_length, **kwargs)
        self.error_messages["does_not_exist"] = missing

    def run_validation(self, data=serializers.empty):
        slug = super().run_validation(data)
        if not slug:
            return None
        found = self.model._default_manager.filter(slug=slug).first()
        if found is None:
            self.fail("does_not_exist")
        return found


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false, as the schema says: DRF's BooleanField also takes 0, 1,
    "yes", "off" and more, which the schema does not declare."""

    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data
