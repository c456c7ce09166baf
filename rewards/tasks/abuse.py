"""Celery tasks for rewards: abuse. Thin periodic wrappers; both sweeps are idempotent."""

from celery import shared_task

from rewards.bounties import services as bounties
from rewards.fraud import household


@shared_task
def household_sweep() -> int:
    """Daily: deletes household signals past their retention."""
    return household.household_sweep()


@shared_task(acks_late=True)
def bounty_refund_due() -> int:
    """Every 15 minutes: returns bounties whose deadline passed to their askers."""
    return bounties.bounty_refund_due()
