"""Reading: the home page, forums, search and similar-question suggestions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from community import search, selectors
from community.models import Forum
from community.rules import limit
from core.htmx import page_or_fragment, vary_on_htmx
from core.pagination import paginate


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


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    forum_slug = request.GET.get("forum", "")
    results = search.search_questions(query)
    if forum_slug:
        results = results.filter(forum__slug=forum_slug)
    context = {
        "query": query,
        "forum_slug": forum_slug,
        "forums": selectors.forum_list(),
        "page": (
            paginate(request, results[: search.MAX_RESULTS], per_page=limit("QUESTIONS_PER_PAGE"))
            if query
            else None
        ),
    }
    return render(request, "community/search.html", context)


def similar_questions(request: HttpRequest) -> HttpResponse:
    """A partial list for the ask page, refreshed while the title is typed."""
    title = request.GET.get("title", "")[:200]
    return render(
        request, "community/_similar.html", {"questions": search.similar_questions(title)}
    )
