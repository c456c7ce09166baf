"""Reading: the home page, forums, search and similar-question suggestions."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from community import live, search, selectors
from community.forms import SearchForm
from community.models import Forum, Question, Tag, Visibility
from community.rules import limit
from community.templatetags.community_tags import kudos_label
from core.htmx import page_or_fragment, vary_on_htmx
from core.net import client_ip, network_of
from core.pagination import paginate
from core.public_cache import cached_for_visitors
from search import engine, log


@cached_for_visitors()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/home.html",
        {
            "forums": selectors.forum_list(),
            "latest": selectors.latest_questions(),
            "unanswered": selectors.unanswered_questions(),
        },
    )


@vary_on_htmx
@cached_for_visitors(params=("page", "filter", "sort", "tag"))
def forum(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_object_or_404(Forum, slug=slug)
    state = request.GET.get("filter", "all")
    state = state if state in selectors.FILTERS else "all"
    sort = request.GET.get("sort", "active")
    sort = sort if sort in selectors.SORTS else "active"
    tag = request.GET.get("tag", "").strip()[:32]
    questions = selectors.question_list(forum=forum, state=state, sort=sort, tag=tag)
    context = {
        "forum": forum,
        "page": paginate(
            request,
            questions,
            per_page=limit("QUESTIONS_PER_PAGE"),
            count=forum.question_count if (state, tag) == ("all", "") else None,
        ),
        "state": state,
        "sort": sort,
        "tag": tag,
        "following": selectors.is_following(user=request.user, target=forum),
    }
    return page_or_fragment(
        request,
        "community/forum.html",
        "community/_forum_questions.html",
        context,
        target="forum-questions",
    )


@require_safe
@cached_for_visitors(params=("page",))
def tag_page(request: HttpRequest, name: str) -> HttpResponse:
    """Every visible question with a tag, in every forum, recently active first."""
    tag = get_object_or_404(Tag, name=name)
    questions = selectors.question_list(tag=tag.name)
    page = paginate(request, questions, per_page=limit("QUESTIONS_PER_PAGE"))
    return render(request, "community/tag.html", {"tag": tag, "page": page})


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page: results ranked or newest first, filtered; each search counted
    in the anonymous log (search.log), a visitor's page from the cache or not, each
    opened result through `search_result`."""
    form = SearchForm(request.GET)
    filters = search.Filters(**form.filters())
    query = engine.parse(form.cleaned_data.get("q", ""))
    if query and not request.GET.get("page"):
        found = len(search.ranked_ids(query, filters))
        log.search_record(
            query, typed=form.cleaned_data["q"], found=found, network=_network(request)
        )
    return _search_results(request, form, query, filters)


@cached_for_visitors(params=("q", "page", "forum", "tag", "solved", "official", "period", "sort"))
def _search_results(
    request: HttpRequest, form: SearchForm, query: engine.Query, filters: search.Filters
) -> HttpResponse:
    page = None
    if query:
        ids = search.ranked_ids(query, filters)
        page = paginate(request, ids, per_page=limit("QUESTIONS_PER_PAGE"))
        page.object_list = search.questions_in_order(list(page.object_list))
        search.snippets(page.object_list, query)
    context = {"form": form, "query": query, "page": page, "typed": form.cleaned_data.get("q", "")}
    return render(request, "community/search.html", context)


def _network(request: HttpRequest) -> str:
    return network_of(client_ip(request)) or "unknown"


@require_safe
def search_result(request: HttpRequest, pk: int) -> HttpResponse:
    """A result opened from the search page: counted for its query, then the question.
    Only a question id: no address of anyone's choosing to send people to."""
    question = get_object_or_404(Question, pk=pk)
    log.click_record(request.GET.get("q", "")[:200], network=_network(request))
    return redirect(question)


@require_safe
def related_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """A question's related questions, loaded by the page after it is shown (htmx); the
    ranking is kept a while (community.search.ranked_ids)."""
    question = get_object_or_404(Question, pk=pk, visibility=Visibility.VISIBLE)
    related = search.related_questions(question)
    return render(request, "community/_related.html", {"related": related})


def similar_questions(request: HttpRequest) -> HttpResponse:
    """A partial list for the ask page, refreshed while the title is typed."""
    title = request.GET.get("title", "")[:200]
    return render(
        request, "community/_similar.html", {"questions": search.similar_questions(title)}
    )


@require_safe
def thread_live(request: HttpRequest, pk: int) -> HttpResponse:
    """For an open thread page (static/js/peerdesk.js): 304 while the thread's version is
    the page's ETag, else what the page updates in place (community.live). `answers`: the
    ids of the answers the page shows, comma-separated."""
    version = live.thread_version(pk)
    if version is None:
        return JsonResponse({"detail": _("No such question.")}, status=404)
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        ids = _ids(request.GET.get("answers", ""))
        if ids is None:
            message = _("answers: at most %(n)d answer numbers, separated by commas.")
            return JsonResponse({"detail": message % {"n": LIVE_ANSWERS}}, status=400)
        figures = live.thread_figures(pk, ids)
        response = JsonResponse(
            {
                "version": version,
                "answer_count": figures["answer_count"],
                "kudos": {
                    "question": kudos_label(figures["vote_score"]),
                    "answers": {str(a): kudos_label(n) for a, n in figures["answers"].items()},
                },
            }
        )
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response


LIVE_ANSWERS = 100  # more than a page shows


def _ids(value: str) -> list[int] | None:
    parts = [part for part in value.split(",") if part]
    if len(parts) > LIVE_ANSWERS or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return [int(part) for part in parts if len(part) < 19]  # beyond a database id: none
