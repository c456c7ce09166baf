import pytest

from tests.fakes.billing_server import billing_server  # noqa: F401


@pytest.fixture(autouse=True)
def _defaults(economy_defaults):
    """The rows the migrations made, which transactional tests flush."""
