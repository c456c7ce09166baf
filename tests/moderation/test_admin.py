"""The moderation admin: community managers edit watched words, trust levels and the
settings; the audit log, standings, flags, cases and appeals are read-only."""

import pytest
from django.urls import reverse

from accounts import roles
from moderation import sanctions
from moderation.models import ModerationAction, ModerationSettings, WatchedWord
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    client.force_login(with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS, is_staff=True)))
    return client


def test_community_managers_add_watched_words(manager_client):
    response = manager_client.post(
        reverse("admin:moderation_watchedword_add"),
        {"word": "casino*", "action": "hold", "replacement": ""},
    )

    assert response.status_code == 302
    assert WatchedWord.objects.get().word == "casino*"


def test_the_settings_list_opens_the_one_row(manager_client):
    response = manager_client.get(reverse("admin:moderation_moderationsettings_changelist"))

    pk = ModerationSettings.load().pk
    assert response.url == reverse("admin:moderation_moderationsettings_change", args=[pk])


def test_the_audit_log_is_read_only_in_the_admin(manager_client, member, moderator):
    action = sanctions.member_warn(member=member, by=moderator, reason="Be kind.")
    change = reverse("admin:moderation_moderationaction_change", args=[action.pk])

    changelist = reverse("admin:moderation_moderationaction_changelist")
    assert manager_client.get(changelist).status_code == 200
    assert manager_client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    manager_client.post(change, {"reason": "Changed"})

    action.refresh_from_db()
    assert action.reason == "Be kind."
    assert ModerationAction.objects.count() == 1
