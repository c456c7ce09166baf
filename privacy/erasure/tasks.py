"""Thin Celery tasks of erasure; privacy.erasure.services does the work. Every task is
idempotent (the services check the request's state), so a task delivered twice does its
work once. The names are those they had in privacy.tasks, so queued tasks and the beat
schedule still find them."""

from celery import shared_task

from privacy.erasure import services
from privacy.requests import enqueue_on_commit


@shared_task(name="privacy.tasks.erasure_run", acks_late=True)
def erasure_run(request_id: int) -> None:
    services.erasure_run(request_id=request_id)


@shared_task(name="privacy.tasks.erasure_due_sweep", acks_late=True)
def erasure_due_sweep() -> None:
    """Periodic: erases the members whose grace period has ended."""
    services.erasure_due_sweep()


def erasure_run_on_commit(request_id: int) -> None:
    enqueue_on_commit(erasure_run, request_id)
