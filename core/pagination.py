"""One way to page a list: for pages, a junk or out-of-range number shows the first or
the last page; for the API, which promises a 404 there, the exact page or EmptyPage."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, *, per_page: int, count: int | None = None) -> Page:
    """The page that ?page= asks for; a junk or out-of-range number gives the first or
    last page. `count`, when the caller knows it (a denormalised counter), saves the
    COUNT query."""
    return _paginator(items, per_page, count).get_page(request.GET.get("page"))


def page_exactly(items, number: int, *, per_page: int, count: int | None = None) -> Page:
    """Page `number`; django.core.paginator.EmptyPage when there is no such page (the
    first page of nothing is an empty page)."""
    return _paginator(items, per_page, count).page(number)


def _paginator(items, per_page: int, count: int | None) -> Paginator:
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: setting it skips the query
    return paginator
