"""Whole pages for visitors, cached: the pages a visitor reads (a thread, the home page,
a forum, a tag, search results) are the same for every visitor in a language, so their responses are
kept and served again, with an ETag (a 304 when the browser has it) and a
`Cache-Control` that lets a CDN in front serve them too.

What makes that safe:
- Only anonymous GET and HEAD requests without a session or a message cookie (someone
  who was just told something sees their page rendered), and not htmx fragments.
- A page for visitors holds nothing of one visitor: no CSRF token (the language switch
  needs none) and no proof of a page view (the "solved it too" form loads after the page).
  A response that used a CSRF token or sets a cookie anyway is never kept.
- The key holds the path with its query, the language and the view's `version`: a
  thread is kept under its Question.version, which its answers, edits, kudos, accepts and
  moderation bump, so they show at once. Everything is kept VISITOR_SECONDS, and a CDN
  may keep it VISITOR_SECONDS more: what a visitor sees is at most a minute old. A member
  sees every change at once: their responses are never kept (and marked `private`), and
  the parts of a thread kept for them are kept under its version.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

# How long this cache, and then a CDN, may keep a page for visitors.
VISITOR_SECONDS = 30
# How long a thread's parts are kept under its version (a change replaces them at once):
# the bound for what shows in them without changing the version (an author's rank, "3
# hours ago"). As in templates/community/_cached_for_visitors.html.
PART_SECONDS = 300
# A longer query is no page anyone links to: rendered, not kept.
MAX_QUERY = 300


def _keyable(request: HttpRequest, params: tuple[str, ...]) -> bool:
    """Only the view's own parameters: `?x=1`, `?x=2`... would each fill the cache."""
    query = request.META.get("QUERY_STRING", "")
    return len(query) <= MAX_QUERY and all(name in params for name in request.GET)


def _for_a_visitor(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and not request.headers.get("HX-Request")
        and not request.user.is_authenticated
    )


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was used
    )


def cached_for_visitors(version: Callable[..., object] | None = None, params: tuple[str, ...] = ()):
    """Serve a view's page to visitors from the cache. `version(request, *args, **kwargs)`
    names what the page shows (None: nothing to cache, the view answers, e.g. a 404);
    `params` are the query parameters the view reads (a request with others is
    rendered, not kept)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not (_for_a_visitor(request) and _keyable(request, params)):
                response = view(request, *args, **kwargs)
                if request.user.is_authenticated:
                    patch_cache_control(response, private=True)
                return response
            stamp = version(request, *args, **kwargs) if version else ""
            if stamp is None:
                return view(request, *args, **kwargs)
            key = (
                "visitor-page:"
                + hashlib.sha256(
                    f"{request.get_full_path()}\n{get_language()}\n{stamp}".encode()
                ).hexdigest()
            )
            page = cache.get(key)
            if page is None:
                request.visitor_page = True  # type: ignore[attr-defined]  # base.html: no CSRF header
                response = view(request, *args, **kwargs)
                if not _keepable(request, response):
                    return response
                etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                page = (response.content, response["Content-Type"], etag)
                cache.set(key, page, VISITOR_SECONDS)
            return _served(request, *page)

        return wrapper

    return decorator


def _served(request: HttpRequest, content: bytes, content_type: str, etag: str) -> HttpResponse:
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=VISITOR_SECONDS)
    # A member's cookie gets another page; the language is the visitor's choice.
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
