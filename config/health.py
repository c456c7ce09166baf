"""/healthz: the state of the database, the cache and the Celery broker, as JSON.

Without the database nothing works: 503, and a load balancer or Kubernetes' readiness
probe takes the web process out. Without Redis the pages still serve, uncached
(core.cache), and tasks wait for the sweeps: 200 with the status "degraded", so that
monitoring sees it but no probe takes every web process out at once."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

log = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    cache.set("healthz", "ok", 5)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was written")
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}
ESSENTIAL = {"database"}


@never_cache
def healthz(request):
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            log.warning("healthz: %s is down: %s", name, exc)
            report[name] = "error"
    down = {name for name, state in report.items() if state == "error"}
    report["status"] = "error" if down & ESSENTIAL else "degraded" if down else "ok"
    return JsonResponse(report, status=503 if down & ESSENTIAL else 200)
