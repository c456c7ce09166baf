from django.conf import settings

from config.celery import app


def test_every_periodic_task_is_registered_with_the_worker():
    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled
    assert scheduled <= set(app.tasks)
