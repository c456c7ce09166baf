"""A read replica for visitors' reads (DATABASE_REPLICA_URL, docs/deploy.md).

The rule, kept by `ReplicaMiddleware` and `Router`:
- Reads go to the replica only inside a request the middleware marked as a visitor's
  read: a GET or HEAD, by nobody signed in, with no session cookie
  (settings.SESSION_COOKIE_NAME), no `Authorization` header (an API token) and no
  recent-write cookie (`pd_primary`). Even then a read inside a transaction on the
  primary reads the primary (it must see that transaction's writes).
- Everything else reads the primary: members, any POST, Celery tasks, management
  commands, the admin, the middleware above this one. The mark is a ContextVar whose
  default is "primary", set and reset (in `finally`) by the middleware around the view,
  so other threads, tasks and commands never see it.
- Writes always go to the primary ("default"); migrations run on the primary only;
  relations between objects of either alias are allowed (the same data).
- After any request that may have written (any method but GET, HEAD and OPTIONS, by a
  member or a visitor: a visitor's "solved it too" mark), the response sets `pd_primary`
  for REPLICA_STICKY_SECONDS (10 s), so the same browser reads the primary while the
  replica catches up and sees what it just did.

Without DATABASE_REPLICA_URL the router is not installed and the middleware removes
itself (MiddlewareNotUsed): nothing changes.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
ROUTER = "core.replica.Router"
STICKY_COOKIE = "pd_primary"
STICKY_SECONDS = 10  # settings.REPLICA_STICKY_SECONDS overrides it
READS = ("GET", "HEAD")
SAFE = ("GET", "HEAD", "OPTIONS")

# True only while the middleware serves a visitor's read; the default reads the primary.
_replica_reads: ContextVar[bool] = ContextVar("peerdesk_replica_reads", default=False)


def reads_replica() -> bool:
    """Whether reads here go to the replica (only inside a visitor's read request)."""
    return _replica_reads.get()


class Router:
    """settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set (see the module's rule)."""

    def db_for_read(self, model, **hints) -> str:
        if _replica_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        aliases = (DEFAULT_DB_ALIAS, REPLICA)
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def for_a_visitors_read(request: HttpRequest) -> bool:
    """A GET or HEAD by nobody signed in who has not just written. The cookies are
    looked at first: without a session cookie, request.user costs no query."""
    cookies = request.COOKIES
    return (
        request.method in READS
        and settings.SESSION_COOKIE_NAME not in cookies
        and STICKY_COOKIE not in cookies
        and "authorization" not in request.headers
        and not request.user.is_authenticated
    )


class ReplicaMiddleware:
    """Marks a visitor's read for the router; after a request that may have written, a
    short cookie keeps the browser on the primary. After AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed("no read replica (DATABASE_REPLICA_URL)")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _replica_reads.set(for_a_visitors_read(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if request.method not in SAFE:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=getattr(settings, "REPLICA_STICKY_SECONDS", STICKY_SECONDS),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
