import pytest
from django.apps import apps

from moderation.defaults import ensure_moderation_defaults
from rewards.defaults import ensure_economy_defaults
from tests.fakes.billing_server import billing_server  # noqa: F401


@pytest.fixture(autouse=True)
def _moderation_defaults(db):
    """Transactional tests flush the rows the migrations created: put the defaults back."""
    ensure_moderation_defaults(apps)
    ensure_economy_defaults(apps)
