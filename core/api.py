"""What every API module declares the same way: error responses in the OpenAPI schema,
the Retry-After header of a 429, and the refusals any operation may answer."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from config.api import ErrorSerializer

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
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds until the request may be repeated."),
)


def responses(ok: dict, *codes: int, described: Mapping[int, str] | None = None) -> dict:
    """The success responses plus an error body for each of `codes`, and 406, which any
    operation answers to an Accept header without JSON. `described` words one differently."""
    texts = {**ERRORS, **(described or {})}
    return ok | {
        code: OpenApiResponse(ErrorSerializer, description=texts[code])
        for code in sorted({*codes, 406})
    }


def declare_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: any operation may be refused with 403 (staff
    without a second factor, a token without the scope), so each declares it."""
    refused = {
        "description": str(ERRORS[403]),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("403", refused)
    return result
