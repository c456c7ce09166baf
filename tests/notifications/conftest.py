from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from privacy import services as privacy_services
from tests.factories import UserFactory
from tests.fakes.billing_server import billing_server  # noqa: F401

DIGEST_HOUR = 7
SITE = "https://community.example"


@pytest.fixture(autouse=True)
def _notification_settings(settings, purposes, economy_defaults):
    """A known digest hour and site, and the rows migrations made (a transactional test
    elsewhere may have flushed them)."""
    settings.PEERDESK = {**settings.PEERDESK, "DIGEST_HOUR": DIGEST_HOUR}
    settings.SITE_URL = SITE


@pytest.fixture
def loop_limits(settings):
    """The reminder delay and invitation limit the tests of reminders and invitations are
    written for, whatever the defaults become."""
    settings.PEERDESK = {**settings.PEERDESK, "REMINDER_AFTER_DAYS": 3, "INVITES_PER_DAY": 5}


def emails_ok(user):
    """The member agrees to email about community activity."""
    privacy_services.consent_grant(user=user, purpose_key="email_notifications", method="settings")
    return user


def emails_withdrawn(user):
    privacy_services.consent_withdraw(
        user=user, purpose_key="email_notifications", method="settings"
    )


def prefer(user, **channels):
    services.preferences_set(user=user, channels=channels)


@pytest.fixture
def asker(db):
    return emails_ok(UserFactory(display_name="Alma Asker"))


@pytest.fixture
def helper(db):
    """Past probation, so an accepted answer earns points."""
    return emails_ok(
        UserFactory(display_name="Hugo Helper", date_joined=timezone.now() - timedelta(days=30))
    )
