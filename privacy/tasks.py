"""Thin Celery tasks for privacy requests; the services in privacy.export do the work."""

import logging

from celery import shared_task
from django.db import transaction

from privacy import export

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def export_build_task(request_id: int) -> None:
    export.export_build(request_id=request_id)


@shared_task
def privacy_sweep() -> None:
    """Periodic: expires old export files and re-enqueues exports whose task was lost."""
    export.export_expire_sweep()
    export.exports_requeue_sweep()


def export_build_enqueue(request_id: int) -> None:
    """After commit; a broker error is logged, never raised: the request row is saved
    and privacy_sweep enqueues it again."""

    def send() -> None:
        try:
            export_build_task.delay(request_id)
        except Exception:
            logger.exception("Could not enqueue the build of export %s", request_id)

    transaction.on_commit(send)
