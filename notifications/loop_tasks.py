"""Beat tasks that close the loop: reminders to mark the solution, and the escalation of
unanswered questions. Thin: the work, and what makes a second run harmless, is in
notifications.reminders and community.escalation."""

import logging

from celery import shared_task

from community import escalation
from notifications import reminders

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def reminders_send() -> None:
    """Periodic: reminds askers whose answered question has no accepted answer."""
    logger.info("Sent %d reminders to mark the solution", reminders.reminders_send())


@shared_task(acks_late=True)
def escalations_run() -> None:
    """Periodic: escalates questions left unanswered for their forum's delay."""
    logger.info("Escalated %d unanswered questions", escalation.escalations_run())
