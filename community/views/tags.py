"""The tag index: every tag of visible questions, most used first, filtered by ?q=."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from community import selectors
from core.forms import FilterForm
from core.pagination import paginate

TAGS_PER_PAGE = 60


@require_safe
def tag_index(request: HttpRequest) -> HttpResponse:
    """A junk filter (too long, a null character) is answered with 400 and its error."""
    form = FilterForm(request.GET)
    if not form.is_valid():
        return render(request, "community/tags.html", {"form": form, "page": None}, status=400)
    q = form.cleaned_data["q"]
    page = paginate(request, selectors.tag_index(q=q), per_page=TAGS_PER_PAGE)
    return render(request, "community/tags.html", {"form": form, "page": page, "q": q})
