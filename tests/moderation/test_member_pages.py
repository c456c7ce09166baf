"""A member's page of the decisions about them: their own only, with one appeal each."""

import pytest
from django.urls import reverse

from moderation import sanctions
from moderation.models import Appeal
from tests.moderation.helpers import hidden_answer

pytestmark = pytest.mark.django_db

DECISIONS = reverse("decisions:list")


def detail(action) -> str:
    return reverse("decisions:detail", args=[action.pk])


def test_visitors_are_sent_to_log_in(client):
    response = client.get(DECISIONS)

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_members_see_the_decisions_about_them_with_the_reason(member_client, member, moderator):
    sanctions.member_warn(member=member, by=moderator, reason="Mind your language.")

    response = member_client.get(DECISIONS)

    assert response.status_code == 200
    assert "Mind your language." in response.text
    assert "Warned" in response.text
    assert moderator.display_name not in response.text


def test_members_never_see_other_members_decisions(member_client, member, other_member, moderator):
    theirs = sanctions.member_warn(member=other_member, by=moderator, reason="Secret reason.")

    assert "Secret reason." not in member_client.get(DECISIONS).text
    assert member_client.get(detail(theirs)).status_code == 404
    response = member_client.post(detail(theirs), {"text": "Let me appeal for them."})
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_member_appeals_a_decision_once_from_its_page(member_client, member, moderator):
    action = hidden_answer(author=member, by=moderator)
    assert "Send the appeal" in member_client.get(detail(action)).text

    response = member_client.post(detail(action), {"text": "It answered the question."})

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.action, appeal.appellant) == (action, member)
    page = member_client.get(detail(action)).text
    assert "It answered the question." in page
    assert "Send the appeal" not in page
    again = member_client.post(detail(action), {"text": "Again."}, follow=True)
    assert "You have appealed this decision already." in again.text
    assert Appeal.objects.count() == 1


def test_an_empty_appeal_is_shown_again_with_the_error(member_client, member, moderator):
    action = hidden_answer(author=member, by=moderator)

    response = member_client.post(detail(action), {"text": ""})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert not Appeal.objects.exists()


def test_a_decision_that_cannot_be_appealed_offers_no_form(member_client, member, moderator):
    action = sanctions.trust_override_set(member=member, by=moderator, level=0)

    page = member_client.get(detail(action)).text

    assert "This decision cannot be appealed." in page
    assert "Send the appeal" not in page


def test_a_banned_member_is_told_on_the_page(member_client, member, moderator):
    sanctions.member_ban(member=member, by=moderator, reason="Spam bot")

    assert "You are banned" in member_client.get(DECISIONS).text
