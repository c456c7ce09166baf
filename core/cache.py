"""Redis as a cache that may be down: the site goes on serving, uncached.

Every read misses, every write is dropped, `add` succeeds and `incr` counts as the first
time: what is counted in the cache (login throttles, the contact form's limit, a
search's daily count) lets people through rather than locking everyone out while Redis
is away. Sessions are in the database behind the cache (`cached_db`), so nobody is
signed out.

After a failure the cache is not asked again for RETRY_SECONDS: a Redis that does not
answer would otherwise cost every page its timeout once per cache call. A write or a
delete lost meanwhile may have been an invalidation (a watched word added, a rule
changed, a logout's session), so once Redis answers again this process forgets every
key of the site (KEY_PREFIX, never the Celery queues in the same database). Each
failure is logged, at most once a minute per process; /healthz reports the cache as
down.
"""

import logging
import time
from functools import wraps

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
RETRY_SECONDS = 5
READS = {"get", "get_many", "has_key"}


def _default(*args, **kwargs):
    """What `get(key, default=None, version=None)` gives without Redis."""
    return args[1] if len(args) > 1 else kwargs.get("default")


FALLBACKS = {
    "get": _default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: True,
    "incr": lambda *args, **kwargs: args[1] if len(args) > 1 else kwargs.get("delta", 1),
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


class _KeptClients(RedisCacheClient):
    """One redis.Redis per connection pool, where Django makes one per call: each costs
    about 50 µs (its table of response callbacks), and a member's page makes seven."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    # Django's own helpers, which its type stubs leave out.
    def get_client(self, key=None, *, write=False) -> redis.Redis:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        if index not in self._clients:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return self._clients[index]


class ForgivingRedisCache(RedisCache):
    _logged_at = 0.0
    _down_until = 0.0
    _lost_writes = False

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _KeptClients

    def _failed(self, operation: str, error: Exception | None) -> None:
        """`error`: Redis failed; None: not asked, as it is left alone a while."""
        if operation not in READS:
            ForgivingRedisCache._lost_writes = True
        if error is None:
            return
        now = time.monotonic()
        ForgivingRedisCache._down_until = now + RETRY_SECONDS
        if now - ForgivingRedisCache._logged_at > LOG_EVERY_SECONDS:
            ForgivingRedisCache._logged_at = now
            log.warning("The cache is down (%s: %s); serving uncached.", operation, error)

    def _recovered(self) -> None:
        """Forget every key of the site: an invalidation may have been lost."""
        ForgivingRedisCache._lost_writes = False
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.unlink(*keys[start : start + 1000])
        log.warning("The cache is back; %d keys forgotten (writes were lost).", len(keys))


def _forgiving(name: str, fallback):
    method = getattr(RedisCache, name)

    @wraps(method)
    def call(self, *args, **kwargs):
        if time.monotonic() < ForgivingRedisCache._down_until:
            self._failed(name, None)
            return fallback(*args, **kwargs)
        try:
            if ForgivingRedisCache._lost_writes:
                self._recovered()
            return method(self, *args, **kwargs)
        except redis.RedisError as error:  # connection refused, timeout, out of memory
            self._failed(name, error)
            return fallback(*args, **kwargs)

    return call


for _name, _fallback in FALLBACKS.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _fallback))
