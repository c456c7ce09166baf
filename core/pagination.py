"""One way to page a list: for pages, a junk or out-of-range number shows the first or
the last page; for the API, which promises a 404 there, the exact page or EmptyPage."""

from collections.abc import Callable, Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


class Deferred:
    """Items made only when a page of them is read, for a page whose copy is usually
    kept in the cache: it needs the page's number and the count, not the items (nor the
    queryset, which takes a millisecond to build)."""

    def __init__(self, make: Callable[[], Sequence]) -> None:
        self._make = make

    def __getitem__(self, index):
        return SimpleLazyObject(lambda: self._make()[index])


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
