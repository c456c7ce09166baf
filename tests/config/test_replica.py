"""A read replica for visitors' reads (core.replica): the router's decisions, the
middleware's mark and sticky cookie, the settings with and without
DATABASE_REPLICA_URL, and a real site process whose replica alias is the test database."""

import json
import runpy

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from core import replica
from tests.config.conftest import bare_environment, database_url, run_python


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_ROUTERS = [replica.ROUTER]
    # The router is live now; nothing below reads the database inside a marked request.
    return settings


def _serve(request, *, view=None):
    """Run the middleware around a view that notes where reads go meanwhile."""
    seen = []

    def get_response(req):
        seen.append(replica.reads_replica())
        return view(req) if view else HttpResponse("ok")

    response = replica.ReplicaMiddleware(get_response)(request)
    return seen, response


def _request(method="get", *, user=None, cookies=None, **extra):
    request = getattr(RequestFactory(), method)("/", **extra)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies or {})
    return request


# --- The router ------------------------------------------------------------------


def test_reads_go_to_the_primary_unless_a_visitors_read_is_marked():
    router = replica.Router()

    assert router.db_for_read(User) == "default"
    token = replica._replica_reads.set(True)
    try:
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
    finally:
        replica._replica_reads.reset(token)
    assert router.db_for_read(User) == "default"


@pytest.mark.django_db
def test_a_read_inside_a_transaction_on_the_primary_reads_the_primary():
    # pytest-django runs this test inside a transaction on the primary.
    token = replica._replica_reads.set(True)
    try:
        assert replica.Router().db_for_read(User) == "default"
    finally:
        replica._replica_reads.reset(token)


def test_writes_migrations_and_relations():
    router = replica.Router()
    on_primary, on_replica, elsewhere = User(), User(), User()
    on_replica._state.db = "replica"
    on_primary._state.db = "default"
    elsewhere._state.db = "archive"

    assert router.db_for_write(User) == "default"
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate("replica", "accounts") is False
    assert router.allow_relation(on_primary, on_replica) is True
    assert router.allow_relation(on_primary, elsewhere) is None


# --- The middleware --------------------------------------------------------------


def test_an_anonymous_get_or_head_without_cookies_reads_the_replica(with_replica):
    for method in ("get", "head"):
        seen, response = _serve(_request(method))

        assert seen == [True], method
        assert replica.STICKY_COOKIE not in response.cookies
    assert replica.reads_replica() is False  # reset after the request


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"cookies": {django_settings.SESSION_COOKIE_NAME: "abc"}}, id="session"),
        pytest.param({"cookies": {replica.STICKY_COOKIE: "1"}}, id="just-wrote"),
        pytest.param({"HTTP_AUTHORIZATION": "Token abc"}, id="api-token"),
        pytest.param({"user": User()}, id="member"),
        pytest.param({"method": "options"}, id="options"),
    ],
)
def test_everyone_else_reads_the_primary(with_replica, request_kwargs):
    seen, response = _serve(_request(**request_kwargs))

    assert seen == [False]
    assert replica.STICKY_COOKIE not in response.cookies


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_reads_the_primary_and_keeps_the_browser_there_a_while(with_replica, method):
    with_replica.REPLICA_STICKY_SECONDS = 7

    seen, response = _serve(_request(method))

    assert seen == [False]
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is django_settings.SESSION_COOKIE_SECURE


def test_the_sticky_cookie_is_secure_with_the_session_cookie(with_replica):
    with_replica.SESSION_COOKIE_SECURE = True

    _, response = _serve(_request("post"))

    assert response.cookies[replica.STICKY_COOKIE]["secure"] is True


def test_the_mark_is_reset_when_the_view_raises(with_replica):
    def broken(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        _serve(_request(), view=broken)

    assert replica.reads_replica() is False


def test_without_a_replica_the_middleware_steps_aside(settings):
    settings.DATABASE_ROUTERS = []

    with pytest.raises(MiddlewareNotUsed):
        replica.ReplicaMiddleware(lambda request: HttpResponse())


@pytest.mark.django_db
def test_a_visitor_without_a_session_cookie_costs_no_query(with_replica, django_assert_num_queries):
    # With the real session and user of a visitor: neither is looked up (a query in the
    # marked request would go to "replica", which this process has not got, and fail).
    request = RequestFactory().get("/")
    SessionMiddleware(HttpResponse).process_request(request)
    AuthenticationMiddleware(HttpResponse).process_request(request)

    with django_assert_num_queries(0):
        seen, _ = _serve(request)

    assert seen == [True]
    assert request.user.is_anonymous


# --- The settings ----------------------------------------------------------------


def _settings_with(monkeypatch, **variables):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))


def test_without_database_replica_url_nothing_changes(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)

    namespace = runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))

    assert set(namespace["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in namespace


def test_database_replica_url_adds_the_replica_connected_like_the_primary(monkeypatch):
    monkeypatch.delenv("DATABASE_POOLER", raising=False)
    namespace = _settings_with(
        monkeypatch,
        DATABASE_URL="postgres://peerdesk@primary:5432/peerdesk",
        DATABASE_REPLICA_URL="postgres://peerdesk@replica:5432/peerdesk?sslmode=require",
        CONN_MAX_AGE="30",
    )

    default, replica_db = namespace["DATABASES"]["default"], namespace["DATABASES"]["replica"]
    assert namespace["DATABASE_ROUTERS"] == ["core.replica.Router"]
    assert replica_db["HOST"] == "replica"
    assert replica_db["TEST"] == {"MIRROR": "default"}
    assert replica_db["CONN_MAX_AGE"] == default["CONN_MAX_AGE"] == 30
    assert replica_db["CONN_HEALTH_CHECKS"] is True
    assert replica_db["OPTIONS"] == {"options": "-c jit=off", "sslmode": "require"}
    assert "TEST" not in default or "MIRROR" not in default["TEST"]


def test_the_replica_behind_pgbouncer_gets_the_pgbouncer_settings(monkeypatch):
    namespace = _settings_with(
        monkeypatch,
        DATABASE_URL="postgres://peerdesk@primary:6432/peerdesk",
        DATABASE_REPLICA_URL="postgres://peerdesk@replica:6432/peerdesk",
        DATABASE_POOLER="pgbouncer",
    )

    replica_db = namespace["DATABASES"]["replica"]
    assert replica_db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "options" not in replica_db["OPTIONS"]


# --- A real site process -----------------------------------------------------------

SITE = """
import json
import django
django.setup()
from django.conf import settings
from django.db import connections
from django.test import Client

seen = []
def spy(alias):
    def wrapper(execute, sql, params, many, context):
        seen.append(alias)
        return execute(sql, params, many, context)
    return wrapper
for alias in ("default", "replica"):
    connections[alias].execute_wrappers.append(spy(alias))

def get(client, url, **extra):
    seen.clear()
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return sorted(set(seen))

visitor = get(Client(), "/?v=1")
session = get(Client(), "/?v=2", HTTP_COOKIE=settings.SESSION_COOKIE_NAME + "=nosuchsession")
browser = Client()
seen.clear()
posted = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
post_aliases = sorted(set(seen))
cookie = posted.cookies["pd_primary"]
after_post = get(browser, "/?v=3")
print(json.dumps({
    "routers": settings.DATABASE_ROUTERS,
    "visitor": visitor,
    "session": session,
    "post": post_aliases,
    "max_age": cookie["max-age"],
    "after_post": after_post,
}))
"""


@pytest.mark.django_db
def test_a_site_with_a_replica_serves_visitors_from_it_and_writers_from_the_primary():
    env = bare_environment()
    env.update(
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url(),
        DATABASE_REPLICA_URL=database_url(),  # the same data, through its own connection
    )

    result = run_python("-c", SITE, env=env)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["routers"] == ["core.replica.Router"]
    assert "replica" in seen["visitor"]
    assert "replica" not in seen["session"]
    assert "replica" not in seen["post"]
    assert seen["max_age"] == 10
    assert "replica" not in seen["after_post"] and seen["after_post"]
