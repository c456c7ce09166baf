"""Thin Celery tasks for rewards (Celery's autodiscovery imports this package)."""

from rewards.tasks import abuse, settlement  # noqa: F401
