"""Warnings, suspensions, bans and trust-level overrides of members. Each is a moderator's
decision about another member (never staff, never themselves), made in one transaction
with the member's MemberStanding row locked, and written to the audit log. A sanction
that would change nothing is refused (Conflict), so every audit row is a change."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.errors import Conflict
from core.text import clean_text
from moderation.audit import services as audit
from moderation.cases import require_moderator
from moderation.models import ActionKind, MemberStanding, ModerationAction, TrustLevel


def require_may_sanction(*, member, by) -> None:
    require_moderator(by)
    if member.pk == by.pk:
        raise PermissionDenied(_("You cannot take moderation action against yourself."))
    if roles.is_staff_member(member):
        raise PermissionDenied(_("Staff members are not sanctioned here: ask an administrator."))


def standing_locked(member) -> MemberStanding:
    """Creates the row when missing, and locks it for the caller's transaction."""
    return MemberStanding.objects.select_for_update().get_or_create(user=member)[0]


def is_suspended(standing: MemberStanding) -> bool:
    return standing.suspended_until is not None and standing.suspended_until > timezone.now()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def standing_state(standing: MemberStanding) -> dict:
    """The standing as the audit log's `before` and `after` keep it."""
    return {
        "warnings": standing.warnings,
        "suspended_until": _iso(standing.suspended_until),
        "banned_at": _iso(standing.banned_at),
        "trust_override": standing.trust_override,
    }


def _reason(reason: str, *, required: bool) -> str:
    reason = clean_text(reason).strip()
    if required and not reason:
        raise ValidationError({"reason": _("Tell the member why.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    return reason


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def standing_save(
    standing: MemberStanding, before: dict, *, by, kind: str, reason: str, case=None
) -> ModerationAction:
    """Saves the locked standing and records the change."""
    standing.save()
    return audit.action_record(
        actor=by,
        kind=kind,
        target=standing.user,
        case=case,
        reason=reason,
        before=before,
        after=standing_state(standing),
    )


@transaction.atomic
def member_warn(*, member, by, reason: str, case=None) -> ModerationAction:
    require_may_sanction(member=member, by=by)
    reason = _reason(reason, required=True)
    standing = standing_locked(member)
    before = standing_state(standing)
    standing.warnings += 1
    return standing_save(standing, before, by=by, kind=ActionKind.WARN, reason=reason, case=case)


@transaction.atomic
def member_suspend(*, member, by, until: datetime, reason: str, case=None) -> ModerationAction:
    """Extends a suspension; a shorter one is refused (lift it first to shorten it)."""
    require_may_sanction(member=member, by=by)
    reason = _reason(reason, required=True)
    if until <= timezone.now():
        raise ValidationError({"until": _("A suspension ends in the future.")})
    standing = standing_locked(member)
    if standing.banned_at:
        raise Conflict(_("The member is banned: a suspension would change nothing."))
    if is_suspended(standing) and standing.suspended_until >= until:
        raise Conflict(
            _("The member is suspended until %(when)s already. Lift it first to shorten it.")
            % {"when": _when(standing.suspended_until)}
        )
    before = standing_state(standing)
    standing.suspended_until = until
    return standing_save(standing, before, by=by, kind=ActionKind.SUSPEND, reason=reason, case=case)


@transaction.atomic
def member_ban(*, member, by, reason: str, case=None) -> ModerationAction:
    require_may_sanction(member=member, by=by)
    reason = _reason(reason, required=True)
    standing = standing_locked(member)
    if standing.banned_at:
        raise Conflict(_("The member is banned already."))
    before = standing_state(standing)
    standing.banned_at = timezone.now()
    return standing_save(standing, before, by=by, kind=ActionKind.BAN, reason=reason, case=case)


@transaction.atomic
def member_unban(*, member, by, reason: str = "", case=None) -> ModerationAction:
    """Lifts both a ban and a suspension."""
    require_may_sanction(member=member, by=by)
    reason = _reason(reason, required=False)
    standing = standing_locked(member)
    if not standing.banned_at and not is_suspended(standing):
        raise Conflict(_("The member is neither suspended nor banned."))
    before = standing_state(standing)
    standing.banned_at = standing.suspended_until = None
    return standing_save(standing, before, by=by, kind=ActionKind.UNBAN, reason=reason, case=case)


@transaction.atomic
def trust_override_set(*, member, by, level: int | None, reason: str = "") -> ModerationAction:
    """`level` None hands the member's trust level back to their activity and age."""
    require_may_sanction(member=member, by=by)
    reason = _reason(reason, required=False)
    if level is not None and level not in TrustLevel.values:
        raise ValidationError({"level": _("Choose one of the trust levels.")})
    standing = standing_locked(member)
    if standing.trust_override == level:
        raise Conflict(_("The member's trust level is set like this already."))
    before = standing_state(standing)
    standing.trust_override = level
    return standing_save(standing, before, by=by, kind=ActionKind.TRUST, reason=reason)
