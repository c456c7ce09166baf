"""/healthz reports the database, the cache and the Celery broker, against the real services."""

import pytest

from config import health
from config.celery import app as celery_app

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_postgres_redis_and_the_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok", "status": "ok"}


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_degraded_when_the_broker_is_unreachable(client, monkeypatch):
    """Pages still serve: no probe should take every web process out for it."""
    monkeypatch.setattr(celery_app.conf, "broker_url", UNREACHABLE_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "error",
        "status": "degraded",
    }


def test_healthz_says_degraded_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "error",
        "broker": "ok",
        "status": "degraded",
    }


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refused():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refused)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
