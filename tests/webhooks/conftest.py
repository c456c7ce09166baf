from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import roles
from tests.factories import UserFactory, with_totp
from tests.fakes.billing_server import billing_server  # noqa: F401
from tests.fakes.webhook_receiver import receiver_fixture  # noqa: F401 (the fixture `receiver`)
from webhooks import services, tasks
from webhooks.models import Delivery, Endpoint, EventType
from webhooks.permissions import webhooks_groups_grant


@pytest.fixture
def manager(db):
    """A community manager (the migrations grant the group its permissions; a
    transactional test may have flushed them)."""
    webhooks_groups_grant(apps)
    return with_totp(UserFactory(display_name="Cora Manager", role=roles.COMMUNITY_MANAGERS))


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def subscribe(receiver, manager):
    """subscribe(*event types) -> an endpoint of the receiver, which knows its secret."""

    def make(*events: str, url: str | None = None) -> Endpoint:
        endpoint = services.endpoint_create(
            by=manager,
            url=url or receiver.url,
            description="CRM",
            events=events or EventType.values,
        )
        receiver.secrets.append(endpoint.secrets.get().value)
        return endpoint

    return make


def time_passes() -> None:
    """Every pending delivery's next attempt is due."""
    a_second_ago = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(state=Delivery.State.PENDING).update(next_attempt_at=a_second_ago)


def sweep_after_a_while() -> None:
    time_passes()
    tasks.sweep()
