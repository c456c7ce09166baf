"""A member's groups and permissions are kept between requests (accounts.role_cache),
and every change of a role takes effect on the member's next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from tests.factories import with_totp

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation:queue")


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return [query["sql"] for query in context.captured_queries]


def test_a_members_roles_are_read_once_not_on_every_page(member_client):
    member_client.get("/")
    again = _queries(member_client, "/")

    assert not [sql for sql in again if "auth_group" in sql or "auth_permission" in sql]


def test_a_moderator_who_leaves_the_group_loses_the_queue_at_once(moderator_client, moderator):
    assert moderator_client.get(QUEUE).status_code == 200

    moderator.groups.clear()

    assert moderator_client.get(QUEUE).status_code == 403


def test_a_member_added_to_the_moderators_has_the_queue_at_once(member_client, member, moderator):
    """(`moderator`: the group has its permissions again, which transactional tests flush.)"""
    assert member_client.get(QUEUE).status_code == 403

    group = Group.objects.get(name=roles.MODERATORS)
    group.user_set.add(member)  # from the group's side too
    with_totp(member)  # staff need a second factor

    assert member_client.get(QUEUE).status_code == 200


def test_a_permission_taken_from_the_group_is_gone_at_once(moderator_client):
    assert moderator_client.get(QUEUE).status_code == 200

    Group.objects.get(name=roles.MODERATORS).permissions.remove(
        Permission.objects.get(codename="moderate_case")
    )

    assert moderator_client.get(QUEUE).status_code == 403


def test_a_permission_given_to_the_member_directly_counts_at_once(member_client, member):
    assert member_client.get(QUEUE).status_code == 403

    member.user_permissions.add(Permission.objects.get(codename="moderate_case"))
    with_totp(member)

    assert member_client.get(QUEUE).status_code == 200


def test_being_a_superuser_counts_from_the_members_row_at_once(member_client, member):
    with_totp(member)
    assert member_client.get(QUEUE).status_code == 403

    type(member).objects.filter(pk=member.pk).update(is_superuser=True)  # no signal at all
    assert member_client.get(QUEUE).status_code == 200

    type(member).objects.filter(pk=member.pk).update(is_superuser=False)
    assert member_client.get(QUEUE).status_code == 403
