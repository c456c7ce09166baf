from celery import shared_task

from search import log


@shared_task
def logs_expire() -> int:
    """Forget searches older than SEARCH_LOG_DAYS. Idempotent."""
    return log.logs_expire()
