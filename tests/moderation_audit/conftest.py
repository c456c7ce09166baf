import pytest
from django.apps import apps

from accounts import roles
from moderation.defaults import ensure_moderation_defaults
from tests.factories import UserFactory, with_totp


@pytest.fixture(autouse=True)
def _moderation_defaults(db):
    """Transactional tests flush the rows the migrations created: put the defaults back."""
    ensure_moderation_defaults(apps)


@pytest.fixture
def second_moderator(db):
    return with_totp(UserFactory(display_name="Second Mod", role=roles.MODERATORS))


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
