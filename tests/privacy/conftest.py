import pytest

from accounts.models import User
from privacy import services
from privacy.models import ConsentPurpose

REQUIRED = ["terms", "privacy"]


@pytest.fixture(autouse=True)
def _defaults(purposes, economy_defaults):
    """The rows the migrations made, which transactional tests flush."""


@pytest.fixture
def newcomer(db):
    """A member with no consent records at all (made without the factory, which may
    record the required consents)."""
    return User.objects.create_user(
        "newcomer@example.com", "pw-for-tests", display_name="Nora Newcomer"
    )


@pytest.fixture
def newcomer_client(client, newcomer):
    client.force_login(newcomer)
    return client


@pytest.fixture
def consenting_member(newcomer):
    """A member who accepted the required purposes at signup, as every member has."""
    services.consents_record_signup(user=newcomer, granted_keys=REQUIRED)
    return newcomer


def publish(key: str, text: str = "A new version of the text."):
    return services.consent_text_publish(purpose=ConsentPurpose.objects.get(key=key), text=text)
