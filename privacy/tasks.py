"""Thin Celery tasks of privacy's visitor salts; privacy.visitors does the work. The
tasks of exports and erasure are in privacy.export.tasks and privacy.erasure.tasks
(CELERY_IMPORTS)."""

from celery import shared_task

from privacy import visitors


@shared_task
def visitor_salts_expire() -> None:
    """Periodic: deletes old visitor salts, so yesterday's visitor hashes can never be
    tied to a session again."""
    visitors.visitor_salts_expire()
