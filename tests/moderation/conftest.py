import pytest

from moderation.models import TrustLevel
from tests.fakes.billing_server import billing_server  # noqa: F401
from tests.moderation.helpers import another_moderator, trusted_as


@pytest.fixture(autouse=True)
def _defaults(moderation_defaults, economy_defaults):
    """The rows the migrations made, which transactional tests flush."""


@pytest.fixture
def second_moderator(db):
    return another_moderator("Second Mod")


@pytest.fixture
def regular(db):
    """A member past probation: their links are not held."""
    return trusted_as(TrustLevel.MEMBER, display_name="Rita Regular")
