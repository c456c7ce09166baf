from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone

from moderation.defaults import ensure_moderation_defaults
from moderation.models import MemberStanding, TrustLevel, TrustLevelRule
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _moderation_defaults(db):
    """Transactional tests flush the rows the migrations created: put the defaults back."""
    ensure_moderation_defaults(apps)


def set_limits(level: TrustLevel, **limits) -> None:
    """Changes a trust level's rule (an update() sends no signal: the cached rules go too)."""
    TrustLevelRule.objects.filter(level=level).update(**limits)
    cache.clear()


def trusted_as(level: TrustLevel, **kwargs):
    """A member whose trust level a moderator set (no probation)."""
    user = UserFactory(date_joined=timezone.now() - timedelta(days=100), **kwargs)
    MemberStanding.objects.create(user=user, trust_override=level)
    return user


@pytest.fixture
def regular():
    """A member past probation: their links are not held."""
    return trusted_as(TrustLevel.MEMBER, display_name="Rita Regular")
