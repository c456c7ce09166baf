from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts import roles
from tests.factories import ForumFactory, UserFactory, with_totp

# tests/embedded/ is the smoke suite of the SQLite demo (`make run`); everything else
# runs on PostgreSQL. `make test` runs the two sessions, each collecting only its own.
EMBEDDED = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
collect_ignore = (
    [p.name for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name != "embedded"]
    if EMBEDDED
    else ["embedded"]
)


@pytest.fixture
def member(db):
    return UserFactory(display_name="Anna Asker")


@pytest.fixture
def other_member(db):
    return UserFactory(display_name="Bernd Helper")


@pytest.fixture
def moderator(db):
    return with_totp(UserFactory(display_name="Mo Derator", role=roles.MODERATORS))


@pytest.fixture
def support_lead(db):
    return with_totp(UserFactory(display_name="Sue Support", role=roles.SUPPORT_LEADS))


@pytest.fixture
def forum(db):
    return ForumFactory(name="Mobilfunk", slug="mobilfunk")


@pytest.fixture
def rate_limits(settings):
    """Test settings switch the rate limits off (so that tests may post a lot): on here."""
    settings.PEERDESK = {**settings.PEERDESK, "RATE_LIMITS": True}


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path_factory):
    """The private storage of exports in a folder of its own, outside every test's
    MEDIA_ROOT (tmp_path)."""
    root = tmp_path_factory.mktemp("private-exports")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is a real Redis that outlives the test database: start each test empty."""
    from django.core.cache import cache

    cache.clear()
