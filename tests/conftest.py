import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from accounts import roles
from accounts.models import User
from moderation.defaults import ensure_moderation_defaults
from privacy.defaults import ensure_default_purposes
from privacy.models import ConsentPurpose, ConsentText
from rewards.defaults import ensure_economy_defaults
from tests.factories import ForumFactory, UserFactory, with_totp

# tests/embedded/ is the smoke suite of the SQLite demo (`make run`); everything else
# runs on PostgreSQL. `make test` runs the two sessions, each collecting only its own.
EMBEDDED = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
collect_ignore = (
    [p.name for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name != "embedded"]
    if EMBEDDED
    else ["embedded"]
)

# Property tests (hypothesis, and schemathesis for the API contract) take their number of
# examples from a profile: `quick` by default, as `make test` runs them;
# HYPOTHESIS_PROFILE=thorough for a long search (before a release, or after changing the
# ledger or the API). Tests set only what they need besides (deadline, health checks).
hypothesis_settings.register_profile("quick", max_examples=20, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


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


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def lead_client(client, support_lead):
    client.force_login(support_lead)
    return client


@pytest.fixture
def admin_client(client):
    """A superuser with a second factor (pytest-django's own admin_client has none)."""
    client.force_login(with_totp(User.objects.create_superuser("root@example.com", "pw-for-tests")))
    return client


@pytest.fixture
def moderation_defaults(db):
    """The trust levels and settings the migrations create, put back: a transactional test
    (which empties every table when it ends) may have run before on this database."""
    ensure_moderation_defaults(apps)


@pytest.fixture
def economy_defaults(db):
    """The economy's settings and point rules the migrations create, put back (a
    transactional test may have emptied the tables)."""
    ensure_economy_defaults(apps)


@pytest.fixture
def purposes(db):
    """The consent purposes migration 0002 creates, put back (a transactional test may
    have emptied the table). Used before any member is made, who then accepts the
    required ones."""
    ensure_default_purposes(ConsentPurpose, ConsentText)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


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


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in the default language: a view or task that activated another
    (a member's own) must not decide the language of the next test on this worker."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _search_caches():
    """The search vocabulary and synonyms each process keeps for a while: a test's rows
    are rolled back, so the next test starts without what it read."""
    from search.engine import clear_caches

    clear_caches()
    yield
    clear_caches()
