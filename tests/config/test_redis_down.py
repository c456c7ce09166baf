"""Redis down: the site goes on serving, uncached, and members stay signed in
(core.cache.ForgivingRedisCache, sessions in the database behind the cache)."""

import os
import time

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


def test_people_can_sign_in_while_the_cache_is_down(client, redis_down, settings, member):
    """allauth's throttles keep a lock in the cache: without Redis they let people in."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
    member.set_password("correct-horse-battery")
    member.save()

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302


def test_a_lost_invalidation_makes_the_site_forget_its_keys_when_redis_is_back(redis_down):
    from django.core.cache import caches

    up = caches.create_connection("default")  # the same class, pointed at the real Redis
    up._cache._servers = [os.environ["REDIS_URL"]]
    up.set("watched-words", ["spam"])
    celery_queue = up._cache.get_client(write=True)
    celery_queue.lpush("celery-like-queue", "task")
    ForgivingRedisCache._lost_writes = True  # a delete failed while Redis was away

    assert up.get("watched-words") is None  # forgotten on the first call that works
    assert celery_queue.llen("celery-like-queue") == 1  # never the broker's keys
    celery_queue.delete("celery-like-queue")


def test_a_logout_while_redis_is_away_holds_when_it_is_back(client, member, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(member)  # the session in the database and in Redis
    ForgivingRedisCache._down_until = time.monotonic() + 60  # Redis left alone

    client.post(reverse("account_logout"))
    ForgivingRedisCache._down_until = 0.0  # Redis answers again

    assert client.get(reverse("accounts:settings")).status_code == 302  # to the login
