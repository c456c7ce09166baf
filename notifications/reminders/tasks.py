"""Beat tasks that close the loop: reminders to mark the solution, and the escalation of
unanswered questions. Thin: the work, and what makes a second run harmless, is in
notifications.reminders.services and community.escalation. Their names are those
they had in notifications.loop_tasks, which the beat schedule uses."""

import logging

from celery import shared_task

from community.escalation import services as escalation
from notifications.reminders import services as reminders

logger = logging.getLogger(__name__)


@shared_task(name="notifications.loop_tasks.reminders_send", acks_late=True)
def reminders_send() -> None:
    """Periodic: reminds askers whose answered question has no accepted answer."""
    logger.info("Sent %d reminders to mark the solution", reminders.reminders_send())


@shared_task(name="notifications.loop_tasks.escalations_run", acks_late=True)
def escalations_run() -> None:
    """Periodic: escalates questions left unanswered for their forum's delay."""
    logger.info("Escalated %d unanswered questions", escalation.escalations_run())
