"""Test settings: the real PostgreSQL and Redis of this machine, never SQLite."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerdesk")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from config.settings import *  # noqa: F403

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
