"""Thin Celery tasks of the community; community.services does the work."""

from celery import shared_task

from community import services


@shared_task
def vote_withdrawals_expire() -> None:
    """Periodic: forgets kudos taken back once the daily limit no longer counts them."""
    services.vote_withdrawals_expire()
