"""The smoke suite's settings: the embedded default of `make run` (SQLite, in-memory
cache, tasks in-process), whatever DATABASE_URL or REDIS_URL the shell has set.

Only what makes tests possible differs from `make run`: a fast password hasher and
mail kept in memory. The suite (tests/embedded/) runs the main journeys on it, so a
PostgreSQL-only expression cannot break the newcomer's demo unnoticed.
"""

import os

os.environ["DEBUG"] = "true"
for variable in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
    os.environ.pop(variable, None)

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
LANGUAGE_COOKIE_SECURE = False
# pytest-django turns DEBUG off; serve static files from the finders, not a collected folder.
WHITENOISE_AUTOREFRESH = True
# The journeys click as soon as a page is served (a person reads first).
PEERDESK = {**PEERDESK, "SIGNAL_PROOF_MIN_SECONDS": 0}  # noqa: F405
