"""What moderation holds about a member, for export (Art. 15, 20) and erasure (Art. 17).

Export: the flags they made, the moderation decisions about them, their appeals and
their standing. Decisions leave out the moderator (moderators act as a team, and their
identity is their own personal data) and the before and after states (a redaction's
"before" is the personal data, often someone else's, that was taken down).

Erasure: their flags are deleted and their appeals lose their text. The audit log keeps
that an action happened, of what kind and when (the accountability of moderation), but
loses what could describe the member: the reason, and the before and after states (an
edited post's text, for one). That scrub is the one update the append-only log allows.
A moderator who is erased stays in the log as an erased actor (SET_NULL). Registered
with core.gdpr."""

from django.utils.translation import gettext_lazy

from core import gdpr
from moderation.models import Appeal, Case, Flag, MemberStanding, ModerationAction

EXPORT_ORDER = 50
ERASE_ORDER = 50


@gdpr.exporter(
    "flags.json",
    gettext_lazy("The posts and profiles you flagged, and why."),
    order=EXPORT_ORDER,
    models=[Flag],
)
def flag_rows(user) -> list[dict]:
    flags = Flag.objects.filter(flagger=user).order_by("created_at", "pk")
    return [
        {
            "created_at": flag.created_at,
            "about": _about(flag),
            "reason": flag.reason,
            "details": flag.text,
        }
        for flag in flags
    ]


@gdpr.exporter(
    "moderation_decisions.json",
    gettext_lazy("Moderators' decisions about your posts and account, with their reasons."),
    order=EXPORT_ORDER,
    models=[ModerationAction],
)
def decision_rows(user) -> list[dict]:
    actions = ModerationAction.objects.filter(member=user).order_by("created_at", "pk")
    return [
        {
            "id": action.pk,
            "created_at": action.created_at,
            "kind": action.kind,
            "about": _about(action),
            "reason": action.reason,
        }
        for action in actions
    ]


def _about(row) -> dict | None:
    for name in ("question", "answer", "comment", "profile"):
        target_id = getattr(row, f"{name}_id")
        if target_id is not None:
            return {"kind": name, "id": target_id}
    return None


@gdpr.exporter(
    "appeals.json",
    gettext_lazy("Your appeals against those decisions."),
    order=EXPORT_ORDER,
    models=[Appeal],
)
def appeal_rows(user) -> list[dict]:
    appeals = Appeal.objects.filter(appellant=user).order_by("created_at", "pk")
    return [
        {
            "action_id": appeal.action_id,
            "created_at": appeal.created_at,
            "text": appeal.text,
            "state": appeal.state,
            "decided_at": appeal.decided_at,
            "decision": appeal.decision_note,
        }
        for appeal in appeals
    ]


@gdpr.exporter(
    "standing.json",
    gettext_lazy("Warnings, suspensions, bans and a trust level set by a moderator, if any."),
    order=EXPORT_ORDER,
    models=[MemberStanding],
)
def standing_rows(user) -> list[dict]:
    return [
        {
            "warnings": standing.warnings,
            "suspended_until": standing.suspended_until,
            "banned_at": standing.banned_at,
            "trust_level_set_by_moderator": standing.trust_override,
        }
        for standing in MemberStanding.objects.filter(user=user)
    ]


@gdpr.eraser(order=ERASE_ORDER, models=[Flag, Appeal, ModerationAction])
def moderation_erase(user) -> None:
    """Idempotent. Runs in the erasure's transaction, before the user row is deleted."""
    Flag.objects.filter(flagger=user).delete()
    Appeal.objects.filter(appellant=user).update(text="", decision_note="")
    # The one permitted update of audit rows (see the module docstring): kind, date,
    # actor and target stay; what could describe the member goes.
    ModerationAction.objects.filter(member=user).update(reason="", before={}, after={})


gdpr.deleted_with_member(MemberStanding, Case)
gdpr.not_exported(
    Case,
    reason="A review-queue item, the moderators' work: what they decided about the member "
    "is in moderation_decisions.json; the flags that opened it are the flaggers' data. "
    "Cases about the member's profile go with their row (CASCADE); a moderator's claim "
    "is cut (SET_NULL).",
)
