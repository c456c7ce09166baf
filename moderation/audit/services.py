"""The audit log: every moderation action is written here, and the member it is about
hears of it (notifications). Rows are only ever added (the one exception, erasure, is in
moderation.gdpr); reading the log is for moderators and support leads."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from moderation.models import ActionKind, ModerationAction, target_fields
from notifications.models import Kind
from notifications.services import notify

# Not decisions about the member: dismissing flags clears their post, it tells them nothing.
UNTOLD = frozenset({ActionKind.DISMISS})
# The posts a decisions page or the log shows next to each action, with their thread.
POSTS = ("question", "answer__question", "comment__answer__question")


def member_of(target):
    """The member an action on `target` is about: a post's author, a profile's owner."""
    return target if isinstance(target, User) else target.author


def action_record(
    *,
    actor,
    kind: str,
    target=None,
    member=None,
    case=None,
    reason: str = "",
    before=None,
    after=None,
) -> ModerationAction:
    """Appends a ModerationAction in the caller's transaction; returns it. The member it
    is about (default: the target's author or owner) is notified, except of UNTOLD kinds.
    Moderators act as a team: the notification names no moderator."""
    if member is None and target is not None:
        member = member_of(target)
    action = ModerationAction.objects.create(
        actor=actor,
        kind=kind,
        case=case,
        member=member,
        reason=reason,
        before=before or {},
        after=after or {},
        **(target_fields(target) if target is not None else {}),
    )
    if member is not None and kind not in UNTOLD:
        _tell(action)
    return action


def _tell(action: ModerationAction) -> None:
    """The notification names the thread too: its title is what the member recognises."""
    comment = action.comment
    answer = action.answer or (comment.answer if comment else None)
    notify(
        recipient=action.member,
        kind=Kind.MODERATION,
        key=f"moderation:{action.pk}",
        question=action.question or (answer.question if answer else None),
        answer=answer,
        comment=comment,
        data={
            "action": action.kind,
            "reason": action.reason,
            "url": reverse("decisions:detail", args=[action.pk]),
        },
    )


def changes(action: ModerationAction) -> list[tuple[str, object, object]]:
    """What the action changed, as (key, before, after), leaving out what stayed."""
    keys = dict.fromkeys([*action.before, *action.after])
    return [
        (key, action.before.get(key), action.after.get(key))
        for key in keys
        if action.before.get(key) != action.after.get(key)
    ]


def can_read_log(user) -> bool:
    return roles.is_moderator(user) or (
        user.is_authenticated and user.has_perm("moderation.view_moderationaction")
    )


def require_log_reader(user) -> None:
    if not can_read_log(user):
        raise PermissionDenied(_("Only moderators and support leads can read the moderation log."))


def actions_list(
    *, actor=None, member=None, member_text: str = "", kind: str = "", since=None, until=None
) -> QuerySet[ModerationAction]:
    """The log, newest first, filtered; `since` and `until` are dates, both included;
    `member_text` matches a member's email or display name exactly, ignoring case."""
    actions = ModerationAction.objects.select_related(
        "actor", "member", "profile", *POSTS, "appeal"
    )
    filters = Q()
    if actor is not None:
        filters &= Q(actor=actor)
    if member is not None:
        filters &= Q(member=member)
    if member_text:
        filters &= Q(member__email__iexact=member_text) | Q(
            member__display_name__iexact=member_text
        )
    if kind:
        filters &= Q(kind=kind)
    if since is not None:
        filters &= Q(created_at__gte=_day_start(since))
    if until is not None:
        filters &= Q(created_at__lt=_day_start(until + timedelta(days=1)))
    return actions.filter(filters).order_by("-created_at", "-pk")


def _day_start(day: date) -> datetime:
    """Midnight in the current time zone, so the newest-first index serves the range."""
    return timezone.make_aware(datetime.combine(day, time.min))


def decisions_about(member) -> QuerySet[ModerationAction]:
    """What a member sees on their own decisions page: no moderator, no UNTOLD kinds."""
    return (
        ModerationAction.objects.filter(member=member)
        .exclude(kind__in=UNTOLD)
        .select_related(*POSTS, "appeal")
        .order_by("-created_at", "-pk")
    )


def moderators() -> QuerySet:
    """Everyone who may work the queue, for the log's filter."""
    codename = "moderate_case"
    return (
        User.objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=codename)
            | Q(user_permissions__codename=codename)
        )
        .distinct()
        .order_by("display_name")
    )
