"""Which origins may read the widget's JSON from a browser (CORS): those set in the admin
(AllowedOrigin), and the community's own (SITE_URL's and the request's).

Only the answer to a browser changes: a request from another origin is served all the
same (what the widget reads is public), without the header that lets a page read it. A
"solved my problem" from an origin that is not allowed is refused (widget.views)."""

from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from widget.models import AllowedOrigin, origin_normal

CACHE_KEY = "widget:allowed-origins"
# A change in the admin clears the cache at once; this bounds any other way of changing.
CACHE_SECONDS = 300


def allowed_origins() -> frozenset[str]:
    """The origins set in the admin, from the cache (one query a few minutes)."""
    origins = cache.get(CACHE_KEY)
    if origins is None:
        origins = frozenset(AllowedOrigin.objects.values_list("origin", flat=True))
        cache.set(CACHE_KEY, origins, CACHE_SECONDS)
    return origins


def origins_changed() -> None:
    """After the allowed origins changed: forgotten once the change is committed."""
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def own_origins(request: HttpRequest) -> set[str]:
    """The origin the request was sent to, and SITE_URL's (the community's public address
    when a proxy in front names the site otherwise)."""
    own = {f"{request.scheme}://{request.get_host()}".lower()}
    site = urlsplit(settings.SITE_URL)
    with suppress(ValidationError):  # SITE_URL set to no address: nothing to add
        own.add(origin_normal(f"{site.scheme}://{site.netloc}"))
    return own


def origin_allowed(request: HttpRequest, origin: str) -> bool:
    return bool(origin) and (origin in allowed_origins() or origin in own_origins(request))
