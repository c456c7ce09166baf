"""The site's own settings plus the bare baseline view, for bench/pages.py.

Everything else (middleware, database, cache, DEBUG off) is what production runs.
"""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES, env

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# collectstatic goes to a throwaway directory, not the project's staticfiles/.
STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default=BASE_DIR / "staticfiles")
