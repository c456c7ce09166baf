"""Thin Celery wrappers around privacy.erasure; safe to run twice (the service is idempotent)."""

import logging

from celery import shared_task
from django.db import transaction

from privacy import erasure

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def erasure_run(request_id: int) -> None:
    erasure.erasure_run(request_id=request_id)


@shared_task(acks_late=True)
def erasure_due_sweep() -> None:
    """For beat: erases the members whose grace period has ended."""
    erasure.erasure_due_sweep()


def erasure_run_on_commit(request_id: int) -> None:
    """Enqueues after commit. A broker error is logged, not raised: the sweep retries."""

    def send() -> None:
        try:
            erasure_run.delay(request_id)
        except Exception:
            log.exception("Could not enqueue the erasure of privacy request %s.", request_id)

    transaction.on_commit(send)
