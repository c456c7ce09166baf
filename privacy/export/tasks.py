"""Thin Celery tasks of data exports; privacy.export.services does the work. Every task
is idempotent (the services check the request's state), so a task delivered twice, or
re-sent by a sweep, does its work once. The names are those they had in privacy.tasks,
so queued tasks and the beat schedule still find them."""

from celery import shared_task

from privacy.export import services
from privacy.requests import enqueue_on_commit


@shared_task(name="privacy.tasks.export_build_task", acks_late=True)
def export_build_task(request_id: int) -> None:
    services.export_build(request_id=request_id)


@shared_task(name="privacy.tasks.privacy_sweep")
def privacy_sweep() -> None:
    """Periodic: expires old export files and re-enqueues exports whose task was lost."""
    services.export_expire_sweep()
    services.exports_requeue_sweep()


def export_build_enqueue(request_id: int) -> None:
    enqueue_on_commit(export_build_task, request_id)
