"""Presenting the dashboard's figures: links to the list behind a number, durations,
rates and changes against the previous period, per language (core.formatting)."""

from datetime import timedelta
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from community.models import Forum
from core.formatting import NO_VALUE, money, number
from insights import figures, permissions
from insights.periods import Period

register = template.Library()


Value = int | Decimal | timedelta | None


def drill_url(name: str, period: Period, forum: Forum | None = None, **params) -> str:
    """The list (a view of insights.urls) of what a number counts, for the period and
    forum; empty parameters are left out."""
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if forum is not None:
        query["forum"] = forum.slug
    query.update({key: value for key, value in params.items() if value not in (None, "")})
    return f"{reverse(name)}?{urlencode(query)}"


@register.simple_tag
def drill(name: str, period: Period, forum: Forum | None = None, **params) -> str:
    """{% drill "insights:events" period forum kind="solved_too" %}"""
    return drill_url(name, period, forum, **params)


@register.filter
def duration(value: timedelta | None) -> str:
    """Readable at a glance: "45 min", "3 h 20 min", "2 d 5 h"; a dash for none."""
    if value is None:
        return NO_VALUE
    minutes = round(value.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        if not minutes:
            return _("%(hours)d h") % {"hours": hours}
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def percent(rate: Decimal | None) -> str:
    """A rate of 0..1 as "83.3 %"; a dash when there was nothing to divide."""
    if rate is None:
        return NO_VALUE
    return _("%(value)s %%") % {"value": number(rate * 100, 1)}


@register.filter
def figure(value: Value, kind: str) -> str:
    """A card's value by its kind: count, money, rate or duration."""
    if kind == "money":
        return money(value)
    if kind == "rate":
        return percent(value)
    if kind == "duration":
        return duration(value)
    return NO_VALUE if value is None else number(value)


@register.filter
def change(delta: Value, kind: str) -> str:
    """The change against the previous period, in words as well as a sign, so that it
    reads without colour: "up 3", "down EUR 1.50", "up 2.5 percentage points"."""
    if delta is None:
        return _("no comparison")
    if not delta:
        return _("unchanged")
    if kind == "rate":
        amount = _("%(value)s percentage points") % {"value": number(abs(delta) * 100, 1)}
    else:
        amount = figure(abs(delta), kind)
    if delta > (timedelta(0) if kind == "duration" else 0):
        return _("up %(amount)s") % {"amount": amount}
    return _("down %(amount)s") % {"amount": amount}


@register.filter
def can_see_insights(user) -> bool:
    return permissions.can_see_insights(user)


@register.filter
def can_set_costs(user) -> bool:
    return permissions.can_set_costs(user)


@register.filter
def cost_in(event, costs: dict[str, Decimal]) -> Decimal:
    """{{ event|cost_in:costs }}: what the event saved at today's cost of its channel."""
    return costs[event.channel]


@register.filter
def points_in_euros(points: int, points_per_euro: int) -> Decimal:
    return figures.points_value(points, points_per_euro)
