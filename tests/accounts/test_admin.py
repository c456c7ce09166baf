"""The member admin: email login, no username."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_member_changelist_renders_for_a_superuser(admin_client, member):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "anna"})

    assert response.status_code == 200
    assert member.email in response.content.decode()
    assert list(response.context["cl"].result_list) == [member]


def test_the_member_change_page_renders_without_a_username(admin_client, member):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[member.pk]))

    assert response.status_code == 200
    assert "username" not in response.context["adminform"].form.fields


def test_a_superuser_puts_a_member_in_a_staff_group(admin_client, member):
    moderators, _created = Group.objects.get_or_create(name=roles.MODERATORS)

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        {
            "email": member.email,
            "display_name": member.display_name,
            "is_active": "on",
            "groups": [moderators.pk],
        },
    )

    assert response.status_code == 302
    assert list(member.groups.all()) == [moderators]


def test_a_superuser_adds_a_member_with_email_and_display_name(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.com",
            "display_name": "Added Member",
            "usable_password": "true",
            "password1": "kettle-Harbour-91",
            "password2": "kettle-Harbour-91",
        },
    )

    assert response.status_code == 302
    added = User.objects.get(email="added@example.com")
    assert added.display_name == "Added Member"
    assert added.check_password("kettle-Harbour-91")


@pytest.mark.parametrize("name", ["ANNA asker", "Anna <b>"])
def test_staff_cannot_give_a_taken_or_malformed_display_name(admin_client, member, name):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "added@example.com", "display_name": name, "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "display_name" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="added@example.com").exists()
