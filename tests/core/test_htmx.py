"""A URL that answers with a page or a fragment, by the HX-Request header, says so in
`Vary: HX-Request` on every answer, or a cache may serve one for the other."""

import inspect
import types

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.htmx import vary_on_htmx
from notifications.models import Kind, Notification
from tests.factories import make_answer, make_question
from tests.moderation.helpers import flag

HTMX = {"HTTP_HX_REQUEST": "true"}


def _varies(response) -> bool:
    return "hx-request" in response.get("Vary", "").lower()


# --- The decorator --------------------------------------------------------------------


def test_every_response_of_a_decorated_view_varies_on_hx_request():
    view = vary_on_htmx(lambda request: redirect("/elsewhere/"))

    response = view(RequestFactory().get("/"))

    assert response.status_code == 302
    assert _varies(response)


def test_the_header_is_added_to_what_the_view_already_varies_on():
    def view(request):
        response = HttpResponse()
        response["Vary"] = "Accept-Language"
        return response

    vary = vary_on_htmx(view)(RequestFactory().get("/"))["Vary"]

    assert [part.strip() for part in vary.split(",")] == ["Accept-Language", "HX-Request"]


# --- Every URL that serves both --------------------------------------------------------


@pytest.fixture
def thread(member, other_member):
    question = make_question(author=other_member)
    return question, make_answer(question=question, author=other_member)


def _requests(member, moderator, support_lead, thread):
    """(who, method, url, data) for each URL that answers with a page or a fragment."""
    question, answer = thread
    case = flag(answer).case
    notification = Notification.objects.create(
        recipient=member, kind=Kind.ANSWER, key="vary-test", question=question, answer=answer
    )
    forum = question.forum
    return [
        (None, "get", forum.get_absolute_url(), {}),
        (member, "post", reverse("community:forum_follow", args=[forum.slug]), {}),
        (member, "post", reverse("community:question_follow", args=[question.pk]), {}),
        (member, "post", reverse("community:question_kudos", args=[question.pk]), {}),
        (member, "post", reverse("community:answer_kudos", args=[answer.pk]), {}),
        (member, "post", reverse("community:solved_too", args=[question.pk]), {}),
        (member, "post", reverse("community:comment_create", args=[answer.pk]), {"body": "Yes!"}),
        (member, "get", reverse("flags:create", args=["answer", answer.pk]), {}),
        (moderator, "post", reverse("moderation:act", args=[case.pk, "restore"]), {}),
        (member, "post", reverse("notifications:read", args=[notification.pk]), {}),
        (member, "get", reverse("invitations:invite", args=[question.pk]), {}),
        (support_lead, "get", reverse("insights:dashboard"), {}),
        (member, "get", reverse("privacy_export:page"), {}),
    ]


@pytest.mark.django_db
def test_each_url_that_serves_a_page_or_a_fragment_varies_on_hx_request(
    client, member, moderator, support_lead, thread, moderation_defaults, economy_defaults
):
    for who, method, url, data in _requests(member, moderator, support_lead, thread):
        if who is None:
            client.logout()
        else:
            client.force_login(who)
        for headers in ({}, HTMX):
            response = getattr(client, method)(url, data, **headers)

            assert response.status_code < 500, url
            assert _varies(response), (method, url, headers, response.status_code)


@pytest.mark.django_db
def test_a_visitor_sent_to_log_in_gets_the_header_too(client, thread):
    response = client.get(reverse("invitations:invite", args=[thread[0].pk]))

    assert response.status_code == 302
    assert _varies(response)


# --- No view reads HX-Request without saying so ----------------------------------------


def _views(patterns=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns)
        elif isinstance(entry, URLPattern) and not hasattr(entry.callback, "view_class"):
            yield entry.callback


def _reads_htmx(function: types.FunctionType, seen: set) -> bool:
    """Whether the function, or a function of its module that it calls, reads
    request.htmx or chooses with page_or_fragment (names in the code, not in text)."""
    if function in seen:
        return False
    seen.add(function)
    codes = [function.__code__]
    names: set[str] = set()
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    if names & {"htmx", "page_or_fragment"}:
        return True
    helpers = (function.__globals__.get(name) for name in names)
    return any(
        _reads_htmx(helper, seen)
        for helper in helpers
        if inspect.isfunction(helper) and helper.__module__ == function.__module__
    )


def test_every_view_that_reads_hx_request_varies_on_it():
    readers = {
        f"{view.__module__}.{view.__name__}"
        for view in _views()
        if _reads_htmx(inspect.unwrap(view), set())
    }
    unmarked = {
        f"{view.__module__}.{view.__name__}"
        for view in _views()
        if f"{view.__module__}.{view.__name__}" in readers
        and not getattr(view, "varies_on_htmx", False)
    }

    assert "community.views.browse.forum" in readers
    assert unmarked == set(), "decorate these with core.htmx.vary_on_htmx"
