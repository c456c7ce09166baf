"""Pages that htmx can swap a part of. A URL that answers with a whole page or with a
fragment, depending on the HX-Request header, must say so in `Vary: HX-Request` on every
answer (the page, the fragment, a redirect, an error page), or a cache (the browser's
back button included) may hand the fragment to someone who asked for the page."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

HX_REQUEST = "HX-Request"

View = Callable[..., HttpResponse]


class HtmxHttpRequest(HttpRequest):
    """A request as django_htmx's middleware leaves it, for type checkers."""

    htmx: HtmxDetails


def vary_on_htmx(view: View) -> View:
    """For a view that serves both a page and a fragment: every response it returns
    varies on HX-Request. Put it outermost, so that the redirects and 403 pages of the
    decorators below get the header too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, [HX_REQUEST])
        return response

    wrapper.varies_on_htmx = True  # type: ignore[attr-defined]
    return wrapper


def page_or_fragment(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict, *, target: str
) -> HttpResponse:
    """The whole page, or only `fragment` when htmx asks to swap the element `target`."""
    chosen = fragment if request.htmx and request.htmx.target == target else template
    response = render(request, chosen, context)
    patch_vary_headers(response, [HX_REQUEST])
    return response
