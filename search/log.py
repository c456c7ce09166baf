"""The anonymous search log: what was searched for on a day, how often it found nothing
and how often a result was opened. Never who searched, nor from where: a network only
decides, through a cache entry that expires with the day, whether a search or a click
counts again, so a script on one network cannot make a query look frequent."""

import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, F, PositiveIntegerField, Q, Sum, When
from django.utils import timezone
from django.utils.crypto import salted_hmac

from search.engine import Query
from search.models import SearchLog

DAY_SECONDS = 24 * 3600
# Distinct queries one network may add to a day's log: a script cannot flood it.
QUERIES_PER_NETWORK = 200
# What looks like an email address or a customer, phone or card number is never kept:
# people paste those into a search box.
EMAIL = re.compile(r"\S@\S")
DIGITS_MAX = 5  # more digits in a query than this may be a customer, phone or card number


def _personal(typed: str) -> bool:
    text = unicodedata.normalize("NFKC", typed)  # full-width @ and digits too
    return bool(EMAIL.search(text)) or sum(char.isdigit() for char in text) > DIGITS_MAX


def _key(what: str, *parts: str) -> str:
    """A cache key of today (a keyed digest, so the cache holds no address either)."""
    mark = salted_hmac("peerdesk.search.log", " ".join(parts)).hexdigest()
    return f"search:{what}:{timezone.localdate()}:{mark}"


def _first_today(what: str, network: str, text: str) -> bool:
    """Whether this network does `what` with this query for the first time today."""
    return cache.add(_key(what, network, text), 1, DAY_SECONDS)


def _row(text: str) -> SearchLog:
    row, _created = SearchLog.objects.get_or_create(day=timezone.localdate(), query=text)
    return row


def _within_quota(network: str) -> bool:
    key = _key("quota", network)
    cache.add(key, 0, DAY_SECONDS)
    return cache.incr(key) <= QUERIES_PER_NETWORK


def search_record(query: Query, *, typed: str, found: int, network: str) -> None:
    """Count a search of today (once per network and query, a limited number of queries
    per network; never one that holds an email address or a long number)."""
    text = query.normal
    if not text or _personal(typed) or not _first_today("search", network, text):
        return
    if not _within_quota(network):
        return
    SearchLog.objects.filter(pk=_row(text).pk).update(
        searches=F("searches") + 1, empty=F("empty") + (0 if found else 1)
    )


def click_record(text: str, *, network: str) -> None:
    """Count that a result of today's search `text` was opened: only by a network that
    searched it today, once, and never more often than it was searched."""
    searched = cache.get(_key("search", network, text[:200])) is not None
    if not text or not searched or not _first_today("click", network, text):
        return
    SearchLog.objects.filter(day=timezone.localdate(), query=text[:200]).update(
        clicks=Case(
            When(clicks__lt=F("searches"), then=F("clicks") + 1),
            default=F("clicks"),
            output_field=PositiveIntegerField(),
        )
    )


def logs_expire() -> int:
    """Delete what is older than SEARCH_LOG_DAYS (a daily beat task)."""
    before = timezone.localdate() - timedelta(days=settings.PEERDESK["SEARCH_LOG_DAYS"])
    deleted, _ = SearchLog.objects.filter(day__lt=before).delete()
    return deleted


def content_gaps(*, days: int = 30, limit: int = 50) -> list[dict]:
    """The most frequent queries of the last `days` that found nothing or after which
    nothing was opened, most searched first."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        SearchLog.objects.filter(day__gte=since)
        .values("query")
        .annotate(searches=Sum("searches"), empty=Sum("empty"), clicks=Sum("clicks"))
        .filter(Q(empty__gt=0) | Q(clicks=0))
        .order_by("-searches", "query")[:limit]
    )


def answered_share(*, since, until) -> tuple[int, int]:
    """(searches, searches after which a result was opened) in a period of days."""
    totals = SearchLog.objects.filter(day__gte=since, day__lte=until).aggregate(
        searches=Sum("searches"), clicks=Sum("clicks")
    )
    return totals["searches"] or 0, totals["clicks"] or 0
