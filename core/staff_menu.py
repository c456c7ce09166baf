"""The staff menu in the header: each app declares its staff pages in its own
`staff_menu.py` (found like gdpr.py, so the header names no app), with the check that
guards the page, the very one its view decorator uses, and, where a number helps, a
selector that counts what waits there.

An app's staff_menu.py::

    from core import staff_menu

    staff_menu.entry(
        "moderation:queue", gettext_lazy("Review queue"), order=10,
        allowed=cases.require_moderator, count=selectors.open_case_count,
    )

`allowed` takes what core.views.permission_required_page takes: a permission
("app.codename"), a predicate on the user, or a requirement that raises
PermissionDenied. A link is shown only to whom the page lets in.

The header is on every staff page, so the counts are the same for every member of the
staff and are kept in the cache COUNT_SECONDS: one cache read per page, and on a miss
one query per count, whatever their size.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

COUNT_SECONDS = 45
Check = str | Callable[[Any], object]


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Any  # a lazy translation
    order: int
    allowed: Check
    count: Callable[[], int] | None = None

    @property
    def count_key(self) -> str:
        return f"staff-menu:count:{self.url_name}"


@dataclass(frozen=True)
class Link:
    url: str
    label: Any
    count: int | None


@dataclass(frozen=True)
class Menu:
    links: list[Link]

    @property
    def waiting(self) -> int:
        """Everything counted, for the menu's own button."""
        return sum(link.count or 0 for link in self.links)


_entries: list[Entry] = []
_discovered = False


def entry(
    url_name: str,
    label: Any,
    *,
    order: int,
    allowed: Check,
    count: Callable[[], int] | None = None,
) -> None:
    if any(existing.url_name == url_name for existing in _entries):
        raise ValueError(f"The staff menu has {url_name!r} twice.")
    _entries.append(Entry(url_name, label, order, allowed, count))


def entries() -> list[Entry]:
    global _discovered
    if not _discovered:
        autodiscover_modules("staff_menu")
        _discovered = True
    return sorted(_entries, key=lambda e: e.order)


def allows(check: Check, user) -> bool:
    """Whether `check` lets `user` in, as permission_required_page decides it."""
    try:
        passed = user.has_perm(check) if isinstance(check, str) else check(user)
    except PermissionDenied:
        return False
    return passed is None or bool(passed)


def counts(shown: list[Entry]) -> dict[str, int]:
    """{url_name: count} of the counted entries: kept ones from one cache read, the
    others counted (one query each) and kept."""
    counted = [e for e in shown if e.count is not None]
    if not counted:
        return {}
    kept = cache.get_many([e.count_key for e in counted])
    missing = {e.count_key: e.count() for e in counted if e.count and e.count_key not in kept}
    if missing:
        cache.set_many(missing, COUNT_SECONDS)
    found = kept | missing
    return {e.url_name: found[e.count_key] for e in counted}


def menu_for(user) -> Menu:
    """The staff pages `user` may open, in order, with what waits on each."""
    if not user.is_authenticated:
        return Menu([])
    shown = [e for e in entries() if allows(e.allowed, user)]
    numbers = counts(shown)
    return Menu([Link(reverse(e.url_name), e.label, numbers.get(e.url_name)) for e in shown])
