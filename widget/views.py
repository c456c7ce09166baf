"""The widget's doors: the script brands embed (/widget.js), the demo page that embeds it,
and the JSON it reads (/widget/v1/...), documented in docs/widget.md.

The JSON endpoints are plain views, outside the REST API: they serve one script on other
sites, for anonymous visitors, and must hold nothing of anybody. So they use no session,
no CSRF cookie and no authentication (the script sends no credentials), store no address,
and answer an allowed origin with the CORS headers (widget.origins). A "solved my problem"
is not protected by a CSRF token but by the proof of the page view the answer came with
(insights.proof), bound to the visitor's address and browser: posting it from elsewhere,
earlier or twice counts nothing. Errors are JSON like the API's: {"detail", "code"}."""

import hashlib
import json
from collections.abc import Callable
from functools import cache, wraps

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from community.models import Forum
from community.selectors import forum_list, visible_questions
from core.errors import RateLimited
from insights import proof
from insights.models import EventKind
from widget import selectors, services
from widget.origins import origin_allowed
from widget.strings import STRINGS, strings

SCRIPT = "widget/widget.js"
# Browsers and CDNs keep the script this long, then ask again (a 304 while unchanged);
# the hashed copy under /static/ is kept a year.
SCRIPT_SECONDS = 60 * 60
# Visitors' browsers (and CDNs, per Origin and language) keep search results and top
# answers this long; the site keeps them too (widget.selectors).
PUBLIC_SECONDS = 30
PREFLIGHT_SECONDS = 600
PROOF_MAX = 1000  # a proof is about 150 characters
NO_ANSWER = gettext_lazy("This question has no answer to show.")


# --- The script --------------------------------------------------------------------


def _read_script() -> tuple[bytes, str]:
    path = finders.find(SCRIPT)
    assert isinstance(path, str), f"{SCRIPT} is missing from the static files"
    with open(path, "rb") as file:
        content = file.read()
    return content, f'"{hashlib.sha256(content).hexdigest()[:32]}"'


_script_cached = cache(_read_script)


@require_safe
def script(request: HttpRequest) -> HttpResponse:
    """The script of the embed code, at an address that never changes: cached an hour,
    then revalidated by its ETag. Read once per process (on every request in DEBUG)."""
    content, etag = _read_script() if settings.DEBUG else _script_cached()
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=SCRIPT_SECONDS)
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may load it too.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# --- The demo page -----------------------------------------------------------------


@require_safe
def demo(request: HttpRequest) -> HttpResponse:
    """A made-up help centre that embeds the widget as a brand would, in the language of
    `lang` (the page's, which the widget follows), with the embed code of each topic."""
    forums = list(forum_list())
    chosen = request.GET.get("topic", "")
    topic = next((forum for forum in forums if forum.slug == chosen), None)
    if topic is None and forums:
        topic = forums[0]
    script_url = request.build_absolute_uri(reverse("widget:script"))
    context = {
        "forums": forums,
        "topic": topic,
        "script_url": script_url,
        "snippet": (
            f'<script src="{script_url}" data-topic="{topic.slug if topic else ""}" async></script>'
        ),
        "languages": settings.LANGUAGES,
    }
    with translation.override(_language(request)):
        return render(request, "widget/demo.html", context)


# --- The JSON endpoints --------------------------------------------------------------


class NotFound(Exception):
    """Answered 404 with its message."""


def _error(status: int, code: str, detail: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _language(request: HttpRequest) -> str:
    """The `lang` the script sends (its `data-lang`, else the page's `lang`: "de-CH" is
    German), else the browser's (LocaleMiddleware read Accept-Language)."""
    asked = request.GET.get("lang", "")[:16].lower().replace("_", "-").split("-")[0]
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language()


def _answer(request: HttpRequest, view: Callable, args, kwargs) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        try:
            response = view(request, *args, **kwargs)
        except NotFound as missing:
            response = _error(404, "not_found", str(missing))
        except ValidationError as invalid:
            code = getattr(invalid, "code", None) or "invalid"
            response = _error(400, code, " ".join(invalid.messages))
        except RateLimited as limited:
            response = _error(
                429, "throttled", limited.message, Retry_After=str(limited.retry_after)
            )
    response["Content-Language"] = language
    return response


def _preflight(request: HttpRequest, methods: tuple[str, ...], allowed: bool) -> HttpResponse:
    """What a browser asks before a POST with a JSON body from another origin. Without
    the headers (an origin not allowed) the browser sends nothing."""
    response = HttpResponse(status=204)
    if allowed and request.headers.get("Access-Control-Request-Method") in methods:
        response["Access-Control-Allow-Methods"] = ", ".join(methods)
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    return response


def endpoint(*methods: str):
    """A JSON endpoint of the widget: `methods` (GET also answers HEAD), a preflight for
    them, CORS headers for an allowed origin (never credentials), errors as JSON, in the
    language the script asks for. Exempt from CSRF: it reads no cookie (see above)."""
    answered = (*methods, "HEAD") if "GET" in methods else methods

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            origin = request.headers.get("Origin", "")
            allowed = origin_allowed(request, origin)
            if request.method == "OPTIONS":
                response = _preflight(request, methods, allowed)
            elif request.method not in answered:
                response = _error(
                    405,
                    "method_not_allowed",
                    _("This address answers %(methods)s only.") % {"methods": ", ".join(methods)},
                    Allow=", ".join((*answered, "OPTIONS")),
                )
            else:
                response = _answer(request, view, args, kwargs)
            patch_vary_headers(response, ("Origin",))
            if allowed:
                response["Access-Control-Allow-Origin"] = origin
            return response

        return wrapper

    return decorator


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """What holds one visitor's proof is kept by nobody."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _topic(request: HttpRequest) -> Forum | None:
    """The forum of `topic`, None without one; NotFound for a slug of no forum."""
    slug = request.GET.get("topic", "")[:80]
    try:
        return selectors.topic_find(slug)
    except Forum.DoesNotExist:
        raise NotFound(_("There is no topic “%(topic)s”.") % {"topic": slug}) from None


@endpoint("GET")
def top(request: HttpRequest) -> HttpResponse:
    """The widget's first request: its words, the topic, and the topic's (or the whole
    community's) most helpful solved questions."""
    forum = _topic(request)
    language = translation.get_language()
    data = selectors.top_solved(forum=forum, language=language)
    topic = data["topic"]
    heading = (
        _("Most helpful answers about %(topic)s") % {"topic": topic["name"]}
        if topic
        else _("Most helpful answers")
    )
    body = {
        "language": language,
        "strings": strings() | {"top_heading": heading},
        "community_url": topic["url"] if topic else "/",
        **data,
    }
    return _public(JsonResponse(body))


@endpoint("GET")
def search(request: HttpRequest) -> HttpResponse:
    """Answered questions for what is being typed (`q`), in a topic if one is given."""
    forum = _topic(request)
    query = " ".join(request.GET.get("q", "").split())[: selectors.QUERY_MAX]
    results = selectors.search_results(
        query=query, forum=forum, language=translation.get_language()
    )
    if results:
        message = ngettext("%(count)d answer found.", "%(count)d answers found.", len(results)) % {
            "count": len(results)
        }
    elif query:
        message = _("No answers found for “%(query)s”. Try other words.") % {"query": query}
    else:
        message = ""
    return _public(JsonResponse({"query": query, "results": results, "message": message}))


@endpoint("GET")
def question(request: HttpRequest, pk: int) -> HttpResponse:
    """The question and the answer the widget shows, with the proof of this view that
    "solved my problem" sends back."""
    data = selectors.question_answer(pk)
    if data is None:
        raise NotFound(NO_ANSWER)
    token = proof.proof_for(request, question_id=pk, kind=EventKind.WIDGET_SOLVED)
    return _private(JsonResponse(data | {"proof": token}))


def _posted_proof(request: HttpRequest) -> str:
    """The `proof` of a JSON body; ValidationError for anything else."""
    try:
        # A proof is short: a longer body is refused unread (deep nesting included).
        body = json.loads(request.body) if len(request.body) <= PROOF_MAX + 100 else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        body = None
    token = body.get("proof") if isinstance(body, dict) else None
    if not isinstance(token, str) or len(token) > PROOF_MAX:
        raise ValidationError(_("Send the proof the answer came with."), code="invalid")
    return token


@endpoint("POST")
def solved(request: HttpRequest, pk: int) -> HttpResponse:
    """The visitor says "this solved my problem": 201 when counted, 200 when this person
    already counted for the question; 400 without a valid proof, 403 from an origin not
    allowed, 404, 415, 429 past the day's limits."""
    origin = request.headers.get("Origin", "")
    if origin and not origin_allowed(request, origin):
        return _error(403, "origin_not_allowed", _("This site may not use the widget."))
    if request.content_type != "application/json":
        return _error(415, "unsupported_media_type", _("The body must be application/json."))
    token = _posted_proof(request)
    found = visible_questions().filter(pk=pk).first()
    if found is None:
        raise NotFound(NO_ANSWER)
    visitor = proof.visitor_from(
        request, proof=token, question_id=found.pk, kind=EventKind.WIDGET_SOLVED
    )
    event = services.widget_solved(question=found, visitor=visitor)
    body = {"counted": event is not None, "detail": str(STRINGS["thanks"])}
    return _private(JsonResponse(body, status=201 if event is not None else 200))
