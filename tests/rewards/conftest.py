import pytest
from django.apps import apps

from rewards.defaults import ensure_economy_defaults
from tests.fakes.billing_server import billing_server  # noqa: F401


@pytest.fixture(autouse=True)
def _economy_defaults(db):
    """Transactional tests flush the rows the migrations created: put the defaults back."""
    ensure_economy_defaults(apps)
