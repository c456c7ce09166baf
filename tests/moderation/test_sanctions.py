"""Warnings, suspensions, bans and trust overrides: moderators only, audited, told."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.errors import Conflict
from moderation import sanctions
from moderation.models import ActionKind, MemberStanding, ModerationAction, TrustLevel
from tests.factories import UserFactory, roles
from tests.moderation.helpers import moderation_notices

pytestmark = pytest.mark.django_db


def standing(member) -> MemberStanding:
    return MemberStanding.objects.get(user=member)


def test_a_warning_counts_and_is_audited(member, moderator):
    action = sanctions.member_warn(member=member, by=moderator, reason="Be kind.")

    assert standing(member).warnings == 1
    assert action.kind == ActionKind.WARN
    assert (action.actor, action.member, action.profile) == (moderator, member, member)
    assert action.before["warnings"] == 0
    assert action.after["warnings"] == 1
    assert action.reason == "Be kind."


def test_the_member_is_told_of_a_sanction(member, moderator):
    action = sanctions.member_warn(member=member, by=moderator, reason="Be kind.")

    notice = moderation_notices(member).get()
    assert notice.key == f"moderation:{action.pk}"
    assert notice.data["action"] == "warn"


def test_a_warning_needs_a_reason(member, moderator):
    with pytest.raises(ValidationError) as error:
        sanctions.member_warn(member=member, by=moderator, reason="  ")

    assert "reason" in error.value.error_dict
    assert not ModerationAction.objects.exists()


def test_a_suspension_is_audited_with_its_end(member, moderator):
    until = timezone.now() + timedelta(days=7)

    action = sanctions.member_suspend(member=member, by=moderator, until=until, reason="Spam")

    assert standing(member).suspended_until == until
    assert action.kind == ActionKind.SUSPEND
    assert action.before["suspended_until"] is None
    assert action.after["suspended_until"] == until.isoformat()


def test_a_suspension_is_extended_but_never_shortened(member, moderator):
    week = timezone.now() + timedelta(days=7)
    sanctions.member_suspend(member=member, by=moderator, until=week, reason="Spam")

    with pytest.raises(Conflict):
        sanctions.member_suspend(
            member=member, by=moderator, until=week - timedelta(days=1), reason="Shorter"
        )
    month = timezone.now() + timedelta(days=30)
    sanctions.member_suspend(member=member, by=moderator, until=month, reason="Again")

    assert standing(member).suspended_until == month
    assert ModerationAction.objects.filter(kind=ActionKind.SUSPEND).count() == 2


def test_a_suspension_ends_in_the_future(member, moderator):
    with pytest.raises(ValidationError):
        sanctions.member_suspend(
            member=member, by=moderator, until=timezone.now() - timedelta(hours=1), reason="x"
        )


def test_a_ban_is_audited_once(member, moderator):
    action = sanctions.member_ban(member=member, by=moderator, reason="Spam bot")

    assert standing(member).banned_at is not None
    assert action.kind == ActionKind.BAN
    with pytest.raises(Conflict):
        sanctions.member_ban(member=member, by=moderator, reason="Again")
    assert ModerationAction.objects.filter(kind=ActionKind.BAN).count() == 1


def test_lifting_ends_both_ban_and_suspension(member, moderator):
    until = timezone.now() + timedelta(days=7)
    sanctions.member_suspend(member=member, by=moderator, until=until, reason="Spam")
    sanctions.member_ban(member=member, by=moderator, reason="Spam bot")

    action = sanctions.member_unban(member=member, by=moderator, reason="Appeal by email")

    found = standing(member)
    assert (found.banned_at, found.suspended_until) == (None, None)
    assert action.kind == ActionKind.UNBAN
    assert action.before["banned_at"] is not None
    assert action.after == {**action.before, "banned_at": None, "suspended_until": None}


def test_lifting_nothing_is_refused(member, moderator):
    with pytest.raises(Conflict):
        sanctions.member_unban(member=member, by=moderator)


def test_a_trust_override_is_audited_and_can_be_cleared(member, moderator):
    set_ = sanctions.trust_override_set(member=member, by=moderator, level=TrustLevel.TRUSTED)
    cleared = sanctions.trust_override_set(member=member, by=moderator, level=None)

    assert standing(member).trust_override is None
    assert (set_.kind, set_.after["trust_override"]) == (ActionKind.TRUST, TrustLevel.TRUSTED)
    assert (cleared.before["trust_override"], cleared.after["trust_override"]) == (3, None)


def test_an_unknown_trust_level_is_refused(member, moderator):
    with pytest.raises(ValidationError):
        sanctions.trust_override_set(member=member, by=moderator, level=7)


def test_members_cannot_sanction(member, other_member):
    with pytest.raises(PermissionDenied):
        sanctions.member_warn(member=other_member, by=member, reason="You!")


def test_moderators_cannot_sanction_themselves(moderator):
    with pytest.raises(PermissionDenied):
        sanctions.trust_override_set(member=moderator, by=moderator, level=TrustLevel.TRUSTED)


def test_staff_are_not_sanctioned(moderator, support_lead):
    other_moderator = UserFactory(role=roles.MODERATORS)

    for staff in (support_lead, other_moderator):
        with pytest.raises(PermissionDenied):
            sanctions.member_ban(member=staff, by=moderator, reason="Power struggle")
    assert not ModerationAction.objects.exists()
