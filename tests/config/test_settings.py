"""What the settings choose from the environment: the embedded default or the real services."""

from tests.config.conftest import BASE_DIR, load_settings

CHOICES = (
    "DATABASES",
    "CACHES",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
)


def test_without_database_and_redis_urls_the_site_runs_embedded(bare_env):
    loaded, stderr = load_settings(*CHOICES, env={**bare_env, "DEBUG": "true"})

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].startswith(str(BASE_DIR / "var") + "/")
    assert loaded["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is True
    assert "Celery tasks run in-process" in stderr


def test_with_redis_url_the_cache_and_the_broker_are_redis(bare_env):
    redis_url = "redis://127.0.0.1:6379/5"

    loaded, stderr = load_settings(
        *CHOICES, env={**bare_env, "DEBUG": "true", "REDIS_URL": redis_url}
    )

    cache = loaded["CACHES"]["default"]
    assert cache["BACKEND"] == "core.cache.ForgivingRedisCache"  # a Redis subclass
    assert cache["LOCATION"] == redis_url
    assert loaded["CELERY_BROKER_URL"] == redis_url
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is False
    assert "Celery tasks run in-process" not in stderr
