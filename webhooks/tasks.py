"""Thin Celery tasks over webhooks.delivery, on the "mail" queue with the other messages
to the outside world (config/settings.py). Every task is idempotent: a delivery is sent
only while it is pending and due, under its row lock. Beat: sweep every minute (it also
sends the retries when they fall due), prune once a day."""

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from webhooks import delivery

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def deliver(delivery_id: int) -> None:
    delivery.delivery_send(delivery_id=delivery_id)


@shared_task
def sweep() -> None:
    """Periodic: sends the deliveries that are due, retries and lost tasks alike."""
    enqueue(delivery.deliveries_due(now=timezone.now()))


@shared_task
def prune() -> None:
    """Periodic: deletes events past their retention, with their delivery log."""
    log.info("Pruned %d webhook events", delivery.retention_prune(now=timezone.now()))


def enqueue(ids: Iterable[int]) -> None:
    """One task per delivery. Stops at the first broker error (logged, never raised): the
    deliveries are saved and the sweep sends them."""
    for pk in ids:
        try:
            deliver.delay(pk)
        except Exception:
            log.exception("Could not enqueue webhook delivery %s; the sweep will", pk)
            return


def deliver_on_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
