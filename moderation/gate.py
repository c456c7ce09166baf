"""Whether a member may post, vote or flag now: the required texts accepted
(privacy.rules), suspensions, bans and the rate limits of their trust level.
Each check raises PermissionDenied (ConsentRequired) or RateLimited.
Staff are exempt from the limits, not from bans; PEERDESK["RATE_LIMITS"] = False
switches the limits off (tests, imports), never the bans."""

import math
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import User
from community.models import Answer, Comment, KudosChange, Question
from core.errors import RateLimited
from moderation import trust
from moderation.models import Flag, MemberStanding, TrustLevelRule
from privacy.rules import require_required_consents

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def _check_standing(user) -> MemberStanding:
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Please log in first."))
    require_required_consents(user)
    standing = trust.standing_of(user)
    if standing.banned_at is not None:
        raise PermissionDenied(
            _("Your account is banned: you can read, but not post, vote or flag.")
        )
    until = standing.suspended_until
    if until is not None and until > timezone.now():
        raise PermissionDenied(
            _("Your account is suspended until %(until)s.")
            % {"until": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")}
        )
    return standing


def _check_rate(
    user,
    actions: list[QuerySet],
    *,
    limit: Callable[[TrustLevelRule], int],
    window: timedelta,
    message: Callable[[int], str],
) -> None:
    """Refuses the next action while the `limit` of the member's level of them (rows with
    created_at) are in the window, until the oldest of those leaves it. `message(n)` has
    %(n)d and %(wait)s. One query for the actions."""
    standing = _check_standing(user)
    if not settings.PEERDESK["RATE_LIMITS"] or roles.is_staff_member(user):
        return
    # The member's row lock makes count-then-act atomic: a concurrent request of theirs
    # waits here until this one's transaction (with its new row) has committed.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rate limits are checked inside the writing transaction")
    User.objects.select_for_update(no_key=True).only("pk").get(pk=user.pk)
    allowed = limit(trust.rule_for(user, standing=standing))
    now = timezone.now()
    first, *rest = [
        rows.filter(created_at__gte=now - window).values_list("created_at", flat=True)
        for rows in actions
    ]
    times = first.union(*rest, all=True) if rest else first
    recent = list(times.order_by("-created_at")[:allowed])
    if len(recent) < allowed:
        return
    free_at = recent[-1] + window if recent else now + window
    raise RateLimited(
        message(allowed) % {"n": allowed, "wait": timeuntil(free_at, now=now, depth=1)},
        retry_after=max(1, math.ceil((free_at - now).total_seconds())),
    )


def restricted_members() -> QuerySet:
    """The ids of members who may not post now: banned, or suspended until later."""
    return MemberStanding.objects.filter(
        Q(banned_at__isnull=False) | Q(suspended_until__gt=timezone.now())
    ).values("user")


def check_can_edit(user) -> None:
    """Suspended or banned members cannot edit either; edits are not rate-limited."""
    _check_standing(user)


def check_can_post(user) -> None:
    """A new question, answer or comment."""
    _check_rate(
        user,
        [model.objects.filter(author=user) for model in (Question, Answer, Comment)],
        limit=lambda rule: rule.posts_per_hour,
        window=HOUR,
        message=lambda n: ngettext(
            "At your trust level you can post %(n)d time an hour. Please try again in %(wait)s.",
            "At your trust level you can post %(n)d times an hour. Please try again in %(wait)s.",
            n,
        ),
    )


def check_can_vote(user) -> None:
    """Kudos given and taken back both count, so that cycling them is limited too."""
    _check_rate(
        user,
        [KudosChange.objects.filter(user=user)],
        limit=lambda rule: rule.votes_per_day,
        window=DAY,
        message=lambda n: ngettext(
            "At your trust level you can give or take back kudos %(n)d time a day. "
            "Please try again in %(wait)s.",
            "At your trust level you can give or take back kudos %(n)d times a day. "
            "Please try again in %(wait)s.",
            n,
        ),
    )


def check_can_flag(user) -> None:
    _check_rate(
        user,
        [Flag.objects.filter(flagger=user)],
        limit=lambda rule: rule.flags_per_day,
        window=DAY,
        message=lambda n: ngettext(
            "At your trust level you can flag %(n)d time a day. Please try again in %(wait)s.",
            "At your trust level you can flag %(n)d times a day. Please try again in %(wait)s.",
            n,
        ),
    )
