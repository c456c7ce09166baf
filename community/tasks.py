"""Thin Celery tasks of the community; community.services does the work."""

from celery import shared_task

from community import services


@shared_task
def kudos_changes_expire() -> None:
    """Periodic: forgets kudos given and taken back once the daily limit no longer counts them."""
    services.kudos_changes_expire()
