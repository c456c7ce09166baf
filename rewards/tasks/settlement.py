"""Celery tasks for rewards: settlement. Thin: rewards.settlement.services does the
work, and every task is idempotent (a run key, the settlements' states), so a task
delivered twice or resent by the sweep does its work once."""

import logging

from celery import shared_task

from rewards.settlement import services as settlement

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def settle() -> None:
    """Periodic (beat): today's settlement run; a run already going on is left alone."""
    try:
        settlement.settlement_run()
    except settlement.SettlementBusy:
        log.info("settlement run skipped: another run is in progress")


@shared_task(acks_late=True)
def send(ids: list[int]) -> None:
    settlement.settlements_send(ids=ids)


@shared_task(acks_late=True)
def sweep() -> None:
    """Periodic (beat): resends settlements whose task was lost or whose retry is due."""
    settlement.settlements_sweep()
