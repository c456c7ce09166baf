"""Redis down: the site goes on serving, uncached, and members stay signed in
(core.cache.ForgivingRedisCache, sessions in the database behind the cache)."""

import pytest
from django.urls import reverse

from core.cache import ForgivingRedisCache
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
DOWN = {
    "default": {
        "BACKEND": "core.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DOWN  # Django makes the caches again on this change
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    ForgivingRedisCache._down_until = 0.0


@pytest.fixture
def thread(forum):
    question = make_question(forum=forum, title="Router blinks orange at night")
    make_answer(question=question)
    return question


def test_visitors_pages_are_served_uncached(client, redis_down, thread):
    for url in (
        "/",
        thread.get_absolute_url(),
        thread.forum.get_absolute_url(),
        "/search/?q=router",
    ):
        assert client.get(url).status_code == 200, url
        assert client.get(url).status_code == 200, url  # nothing kept, rendered again


def test_a_member_signs_in_and_stays_signed_in(client, redis_down, thread, member):
    client.force_login(member)

    page = client.get(thread.get_absolute_url())

    assert page.status_code == 200
    assert page.wsgi_request.user == member


def test_health_says_the_cache_is_down_and_the_site_serves(client, redis_down):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200  # no probe takes every web process out
    assert (response.json()["cache"], response.json()["status"]) == ("error", "degraded")
    assert response.json()["database"] == "ok"


def test_the_down_cache_is_left_alone_a_few_seconds(redis_down, monkeypatch):
    from django.core.cache import cache

    cache.get("anything")  # refused: marks the cache down
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get", lambda *a, **k: calls.append(a)
    )

    assert cache.get("anything", "fallback") == "fallback"
    assert calls == []
