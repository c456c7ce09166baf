"""What every page request goes through before its view."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.translation import gettext as _

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulBytesMiddleware:
    """A NUL byte is never text a person typed, and PostgreSQL refuses it in a text
    column, so a view that passes a parameter on to a query would fail with a 500.
    In a page's query string (a search, a filter) it is dropped; in a posted form it is
    a 400. The API is left to its serializers, which name the field in a JSON 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            if _has_nul(request.GET):
                request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # stubs: immutable
            posted = request.method == "POST" and request.content_type in FORMS
            if posted and _has_nul(request.POST):
                return HttpResponseBadRequest(_("The form contains a NUL character."))
        return self.get_response(request)


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


def _has_nul(query: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )
