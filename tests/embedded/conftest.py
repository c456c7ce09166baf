"""The newcomer's demo, as `make run` serves it: SQLite, tasks in-process, no Redis.

The database is migrated and seeded once per session (as `make run` does); every test
runs in a transaction that is rolled back, and runs the tasks its requests schedule
after commit (`after_commit`), as the in-process Celery of `make run` would.
"""

import io
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accounts.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    assert connection.vendor == "sqlite", "the smoke suite runs on the embedded default"
    with django_db_blocker.unblock():
        call_command("seed_demo", "--if-empty", verbosity=0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs what the request schedules after commit (tasks run in-process)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def demo_user(handle: str) -> User:
    return User.objects.get(email=f"{handle}@example.com")


def logged_in(handle: str, *, totp: bool = False) -> Client:
    """A browser session of a demo account; staff have set up their second factor."""
    user = demo_user(handle)
    if totp:
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, data={})
    client = Client()
    client.force_login(user)
    return client


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
