"""What moderation exports about a member, and what their erasure removes."""

import pytest

from moderation import gdpr, sanctions
from moderation.appeals import services as appeals
from moderation.models import ActionKind, Appeal, Flag, FlagReason, ModerationAction
from tests.factories import make_answer
from tests.moderation.helpers import hidden_answer

pytestmark = pytest.mark.django_db


def _export(member) -> dict[str, list[dict]]:
    """What the data export's moderation files hold (privacy.export writes one each)."""
    return {
        "flags": gdpr.flag_rows(member),
        "moderation_decisions": gdpr.decision_rows(member),
        "appeals": gdpr.appeal_rows(member),
        "standing": gdpr.standing_rows(member),
    }


@pytest.fixture
def history(member, other_member, moderator):
    """The member flagged an answer, was warned and appealed, and had an answer hidden."""
    flagged = make_answer(author=other_member)
    Flag.objects.create(flagger=member, answer=flagged, reason=FlagReason.SPAM, weight=1)
    warning = sanctions.member_warn(member=member, by=moderator, reason="Called Bob at +49 170")
    appeals.appeal_file(action=warning, by=member, text="My number is 0170 1234567.")
    hidden_answer(author=member, by=moderator, reason="Spam")
    return flagged


def test_the_export_holds_flags_decisions_appeals_and_standing(history, member, moderator):
    data = _export(member)

    assert data["flags"] == [
        {
            "created_at": data["flags"][0]["created_at"],
            "about": {"kind": "answer", "id": history.pk},
            "reason": "spam",
            "details": "",
        }
    ]
    kinds = [row["kind"] for row in data["moderation_decisions"]]
    assert kinds == [ActionKind.WARN, ActionKind.HIDE]
    assert data["moderation_decisions"][0]["reason"] == "Called Bob at +49 170"
    assert data["appeals"][0]["text"] == "My number is 0170 1234567."
    assert data["standing"][0]["warnings"] == 1


def test_the_export_does_not_name_the_moderators(history, member, moderator):
    text = str(_export(member))

    assert moderator.display_name not in text
    assert moderator.email not in text
    assert "actor" not in text


def test_erasure_deletes_flags_and_scrubs_appeals_and_the_log(
    history, member, other_member, moderator
):
    others = sanctions.member_warn(member=other_member, by=moderator, reason="Kept")

    gdpr.moderation_erase(member)

    assert not Flag.objects.filter(flagger=member).exists()
    assert Appeal.objects.get(appellant=member).text == ""
    rows = ModerationAction.objects.filter(member=member).order_by("pk")
    assert [row.kind for row in rows] == [ActionKind.WARN, ActionKind.HIDE]
    assert all((row.reason, row.before, row.after) == ("", {}, {}) for row in rows)
    others.refresh_from_db()
    assert others.reason == "Kept"


def test_erasure_is_idempotent(history, member):
    gdpr.moderation_erase(member)
    gdpr.moderation_erase(member)

    assert _export(member)["flags"] == []
