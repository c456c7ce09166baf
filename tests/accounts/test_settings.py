"""A member changes their display name on the settings page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services

pytestmark = pytest.mark.django_db

URL = reverse("accounts:settings")


def test_the_settings_page_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_settings_page_links_to_the_email_and_password_pages(member_client):
    html = member_client.get(URL).content.decode()

    assert reverse("account_email") in html
    assert reverse("account_change_password") in html
    assert 'value="Anna Asker"' in html


def test_a_member_changes_their_display_name(member_client, member):
    response = member_client.post(URL, {"display_name": "Anna  the   Asker"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Anna the Asker"


def test_a_member_may_change_only_the_case_of_their_own_name(member_client, member):
    member_client.post(URL, {"display_name": "anna asker"})

    member.refresh_from_db()
    assert member.display_name == "anna asker"


def test_a_name_taken_by_another_member_in_any_case_is_refused(member_client, member, other_member):
    response = member_client.post(URL, {"display_name": "BERND helper"})

    assert response.status_code == 200
    assert "This display name is taken" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Anna Asker"


def test_a_name_with_bad_characters_is_refused(member_client, member):
    response = member_client.post(URL, {"display_name": "<script>"})

    assert "display_name" in response.context["form"].errors
    member.refresh_from_db()
    assert member.display_name == "Anna Asker"


def test_the_database_refuses_a_name_taken_after_the_form_checked_it(member, other_member):
    # The form's check and the write are not atomic; the unique constraint decides.
    with pytest.raises(ValidationError) as error:
        services.display_name_change(user=member, display_name="bernd HELPER")

    assert "display_name" in error.value.message_dict
    member.refresh_from_db()
    assert member.display_name == "Anna Asker"
