"""Thin Celery tasks over insights.contact.forwarding and insights.rollups. Both
forwarding tasks are idempotent (the request row is locked and its state checked), so a
task delivered twice, or re-sent by the sweep, sends once. Beat (config/settings.py):
contact_sweep every 5 minutes, points_rollup and events_rollup every hour."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from insights import proof, rollups
from insights.contact import forwarding
from notifications.tasks import enqueue


@shared_task(acks_late=True)
def contact_forward(request_id: int) -> None:
    forwarding.contact_forward(request_id=request_id)


@shared_task
def contact_sweep() -> None:
    """Periodic: blanks the personal data of requests past the retention period, then
    forwards requests whose task was lost or whose retry is due."""
    now = timezone.now()
    forwarding.contacts_purge(now=now)
    enqueue(contact_forward, forwarding.forward_due(now=now))


@shared_task
def points_rollup() -> None:
    """Periodic: adds the days closed since the last run to the daily points sums (the
    state row is locked, so runs that overlap add each day once)."""
    rollups.points_rollup()


@shared_task
def events_rollup() -> None:
    """Periodic: adds the days closed since the last run, and those invalidated since, to
    the daily event counts (locked as points_rollup is)."""
    rollups.events_rollup()


def contact_forward_on_commit(request_id: int) -> None:
    """After commit; a broker error is logged, not raised (notifications.tasks.enqueue):
    the request is stored and the sweep forwards it."""
    transaction.on_commit(lambda: enqueue(contact_forward, [request_id]))


@shared_task
def signal_counts_expire() -> None:
    """Periodic: forgets yesterday's-but-one counters of anonymous signals per network."""
    proof.signal_counts_expire()
