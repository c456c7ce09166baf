"""Reads for the badge pages. Who may be named is accounts' rule (listed_members), the one
the member directory follows; how many earned a badge counts everyone, named or not."""

from collections import defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.formats import number_format
from django.utils.translation import ngettext_lazy

from accounts.selectors import listed_members
from rewards.models import Badge, MemberBadge

# Holders named per badge on the list of every badge; the badge's own page has them all.
PREVIEW = 10

_DESCRIPTIONS = {
    Badge.Metric.ACCEPTED: ngettext_lazy(
        "For %(shown)s accepted answer.", "For %(shown)s accepted answers.", "count"
    ),
    Badge.Metric.KUDOS: ngettext_lazy(
        "For kudos received %(shown)s time.", "For kudos received %(shown)s times.", "count"
    ),
    Badge.Metric.SOLVED_TOO: ngettext_lazy(
        "For %(shown)s “solved too” mark received.",
        "For %(shown)s “solved too” marks received.",
        "count",
    ),
    Badge.Metric.LIFETIME: ngettext_lazy(
        "For %(shown)s point earned.", "For %(shown)s points earned.", "count"
    ),
}


def badge_description(badge: Badge) -> str:
    """What earns the badge, in the active language."""
    shown = number_format(badge.threshold, force_grouping=True)
    return _DESCRIPTIONS[badge.metric] % {"count": badge.threshold, "shown": shown}


def badge_holders(*, viewer, badge: Badge | None = None) -> QuerySet[MemberBadge]:
    """Awards of members `viewer` may find, newest first, with the member's name."""
    held = (
        MemberBadge.objects.filter(user__in=listed_members(viewer=viewer))
        .select_related("user")
        .only("pk", "badge_id", "awarded_at", "user__id", "user__display_name")
        .order_by("-awarded_at", "-pk")
    )
    return held if badge is None else held.filter(badge=badge)


def badge_with_count(*, key: str) -> Badge:
    """The badge `key` with `earned` and `description`. Raises Badge.DoesNotExist."""
    badge = _with_counts(Badge.objects.filter(slug=key)).get()
    badge.description = badge_description(badge)
    return badge


def badge_list(*, viewer) -> list[Badge]:
    """Every badge, each with `earned` (active members who have it), `description` and
    `recent` (the latest PREVIEW awards `viewer` may see). Two queries, whatever the
    number of badges and awards."""
    badges = list(_with_counts(Badge.objects.all()))
    latest = Window(
        RowNumber(), partition_by=F("badge_id"), order_by=(F("awarded_at").desc(), F("pk").desc())
    )
    recent = defaultdict(list)
    for held in badge_holders(viewer=viewer).annotate(row=latest).filter(row__lte=PREVIEW):
        recent[held.badge_id].append(held)
    for badge in badges:
        badge.description = badge_description(badge)
        badge.recent = recent[badge.pk]
    return badges


def _with_counts(badges: QuerySet[Badge]) -> QuerySet[Badge]:
    earned = (
        MemberBadge.objects.filter(badge=OuterRef("pk"), user__is_active=True)
        .order_by()
        .values("badge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return badges.annotate(earned=Coalesce(Subquery(earned, output_field=IntegerField()), 0))
