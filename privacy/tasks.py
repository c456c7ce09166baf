"""Thin Celery tasks for privacy requests and visitor salts; privacy.export,
privacy.erasure and privacy.visitors do the work.

Every task is idempotent (the services check the request's state), so a task
delivered twice, or re-sent by a sweep, does its work once.
"""

import logging

from celery import shared_task
from django.db import transaction

from privacy import erasure, export, visitors

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def export_build_task(request_id: int) -> None:
    export.export_build(request_id=request_id)


@shared_task(acks_late=True)
def erasure_run(request_id: int) -> None:
    erasure.erasure_run(request_id=request_id)


@shared_task
def privacy_sweep() -> None:
    """Periodic: expires old export files and re-enqueues exports whose task was lost."""
    export.export_expire_sweep()
    export.exports_requeue_sweep()


@shared_task(acks_late=True)
def erasure_due_sweep() -> None:
    """Periodic: erases the members whose grace period has ended."""
    erasure.erasure_due_sweep()


@shared_task
def visitor_salts_expire() -> None:
    """Periodic: deletes old visitor salts, so yesterday's visitor hashes can never be
    tied to a session again."""
    visitors.visitor_salts_expire()


def _enqueue_on_commit(task, request_id: int) -> None:
    """After commit; a broker error is logged, never raised: the request row is saved
    and a sweep picks it up."""

    def send() -> None:
        try:
            task.delay(request_id)
        except Exception:
            logger.exception("Could not enqueue %s for privacy request %s", task.name, request_id)

    transaction.on_commit(send)


def export_build_enqueue(request_id: int) -> None:
    _enqueue_on_commit(export_build_task, request_id)


def erasure_run_on_commit(request_id: int) -> None:
    _enqueue_on_commit(erasure_run, request_id)
