"""Redis as a cache that may be down: the site goes on serving, uncached.

Every read misses, every write is dropped, `add` adds nothing and `incr` counts as the
first time (so a limit counted in the cache lets people through rather than locking
every customer out of the contact form while Redis is away). Sessions live in the
database behind the cache (`cached_db`), so members stay signed in. Each failure is
logged, at most once a minute per process; /healthz reports the cache as down. After a
failure the cache is not asked again for RETRY_SECONDS: a Redis that does not answer
would otherwise cost every page its timeout once per cache call.
"""

import logging
import time
from functools import wraps

import redis
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
RETRY_SECONDS = 5


def _default(*args, **kwargs):
    """What `get(key, default=None, version=None)` gives without Redis."""
    return args[1] if len(args) > 1 else kwargs.get("default")


FALLBACKS = {
    "get": _default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: False,
    "incr": lambda *args, **kwargs: args[1] if len(args) > 1 else kwargs.get("delta", 1),
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


class ForgivingRedisCache(RedisCache):
    _logged_at = 0.0
    _down_until = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        ForgivingRedisCache._down_until = now + RETRY_SECONDS
        if now - ForgivingRedisCache._logged_at > LOG_EVERY_SECONDS:
            ForgivingRedisCache._logged_at = now
            log.warning("The cache is down (%s: %s); serving uncached.", operation, error)


def _forgiving(name: str, fallback):
    method = getattr(RedisCache, name)

    @wraps(method)
    def call(self, *args, **kwargs):
        if time.monotonic() < ForgivingRedisCache._down_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:  # connection refused, timeout, out of memory
            self._failed(name, error)
            return fallback(*args, **kwargs)

    return call


for _name, _fallback in FALLBACKS.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _fallback))
