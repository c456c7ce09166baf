"""Thin Celery tasks over notifications.email and notifications.services.

Every task is idempotent (row locks and states in the database), so a task delivered
twice, or re-sent by a sweep, does its work once. Beat entries (config/settings.py):
email_sweep every 5 minutes, digest_hourly at minute 0, fan_out_sweep every 10 minutes.
"""

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notifications import email, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_email(notification_id: int) -> None:
    email.notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def send_digest(user_id: int) -> None:
    email.digest_send(user_id=user_id)


@shared_task(acks_late=True)
def forum_fan_out(question_id: int) -> None:
    services.forum_question_fan_out(question_id=question_id)


@shared_task
def email_sweep() -> None:
    """Periodic: sends the emails whose task was lost (a broker outage)."""
    enqueue(send_email, email.pending_lost(now=timezone.now()))


@shared_task
def digest_hourly() -> None:
    """Periodic, every hour: one digest task per member for whom it is the digest hour."""
    enqueue(send_digest, email.digest_due(now=timezone.now()))


@shared_task
def fan_out_sweep() -> None:
    """Periodic: re-runs the follower fan-out of recent questions that have none."""
    enqueue(forum_fan_out, services.fan_out_due(now=timezone.now()))


def enqueue(task, ids: Iterable[int]) -> None:
    """One task per id. Stops at the first broker error (logged, never raised): the rows
    are saved and a sweep finds them."""
    for pk in ids:
        try:
            task.delay(pk)
        except Exception:
            logger.exception("Could not enqueue %s for %s; the sweep will", task.name, pk)
            return


def enqueue_on_commit(task, ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue(task, ids))
