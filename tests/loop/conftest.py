import pytest
from django.apps import apps

from moderation.defaults import ensure_moderation_defaults


@pytest.fixture(autouse=True)
def _moderation_defaults(db):
    """Transactional tests flush the rows the migrations created: put the defaults back."""
    ensure_moderation_defaults(apps)


@pytest.fixture(autouse=True)
def _loop_limits(settings):
    """The values these tests are written for, whatever the defaults become."""
    settings.PEERDESK = {**settings.PEERDESK, "REMINDER_AFTER_DAYS": 3, "INVITES_PER_DAY": 5}
