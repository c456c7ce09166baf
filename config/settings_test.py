"""Test settings: the real PostgreSQL and Redis of this machine, never SQLite."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerdesk")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_URL", "consolemail://")

# Each pytest-xdist worker (gw0, gw1, ...) has a test database of its own (pytest-django
# appends the worker's name) and, from here, a Redis database of its own: tests empty the
# cache (FLUSHDB), which must not empty another worker's. gw0 keeps REDIS_URL's number,
# gwN uses the Nth below it (15, 14, ... by default). Once: subprocesses inherit the result.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("PEERDESK_TEST_REDIS_OF") != _worker:
    _redis = urlsplit(os.environ["REDIS_URL"])
    _db = (int(_redis.path.strip("/") or 0) - int(_worker[2:])) % 16
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_db}"))
    os.environ["PEERDESK_TEST_REDIS_OF"] = _worker

from config.settings import *  # noqa: E402, F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests call tasks as functions or run a real worker; requests never need a broker.
CELERY_TASK_ALWAYS_EAGER = True
ACCOUNT_RATE_LIMITS = False
# Tests post a lot; the tests of the limits switch them on (fixture `rate_limits`).
# Tests click as soon as a page is served; the tests of the reading time set it back.
PEERDESK = {**PEERDESK, "RATE_LIMITS": False, "SIGNAL_PROOF_MIN_SECONDS": 0}  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LANGUAGE_COOKIE_SECURE = False
# pytest-django turns DEBUG off; serve static files from the finders, not a collected folder.
WHITENOISE_AUTOREFRESH = True
