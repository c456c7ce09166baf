"""Celery's queues by kind (config/settings.py): money, privacy, mail and the rest."""

import pytest
from django.conf import settings

from config.celery import app

KINDS = {
    "rewards.": "money",
    "privacy.": "privacy",
    "notifications.": "mail",
    "webhooks.": "mail",  # messages to other systems, like emails: waiting on the far end
}


@pytest.fixture(scope="module")
def routes() -> dict[str, str]:
    app.loader.import_default_modules()
    names = [name for name in app.tasks if not name.startswith("celery.")]
    return {name: app.amqp.router.route({}, name)["queue"].name for name in names}


def test_every_task_goes_to_the_queue_of_its_kind(routes):
    for name, queue in routes.items():
        expected = next((q for prefix, q in KINDS.items() if name.startswith(prefix)), "default")
        assert queue == expected, name


def test_settlement_credits_erasure_exports_and_emails_have_their_queues(routes):
    assert routes["rewards.tasks.settlement.send"] == "money"
    assert routes["privacy.tasks.erasure_run"] == "privacy"
    assert routes["privacy.tasks.export_build_task"] == "privacy"
    assert routes["notifications.tasks.send_email"] == "mail"


def test_every_queue_a_task_uses_is_declared(routes):
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}

    assert set(routes.values()) <= declared
    assert declared == {"money", "privacy", "mail", "default"}
