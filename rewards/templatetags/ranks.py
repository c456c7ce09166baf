"""Recognition next to a member's name, and money per locale (core.formatting.money).

`{% rank_badge author badges=n %}` reads the author's points account, which the page's
selector loads with the author (select_related), and the cached rank list: no query
per row. Anonymous readers get a thread from a fragment cache keyed on the question's
version (templates/community/_cached_for_visitors.html), so they see a new rank once
the thread next changes or its fragment expires.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import money
from rewards import selectors

register = template.Library()

_RANKS = "rewards_ranks"


def _rank_table(context) -> list:
    """The rank list once per template render, not one cache read per row."""
    held = context.render_context
    if _RANKS not in held:
        held[_RANKS] = selectors.ranks()
    return held[_RANKS]


@register.simple_tag(takes_context=True)
def rank_badge(context, member, badges: int | None = None) -> SafeString:
    """The member's rank and, when the page counted them, their number of badges."""
    if member is None:
        return SafeString("")
    account = getattr(member, "points_account", None)
    rank = selectors.rank_for(account.lifetime_points if account else 0, table=_rank_table(context))
    parts = []
    if rank is not None:
        parts.append(format_html('<span class="rank" title="{}">{}</span>', _("Rank"), rank.name))
    if badges:
        label = ngettext("%(count)d badge", "%(count)d badges", badges) % {"count": badges}
        parts.append(
            format_html(
                '<a class="badge-count" href="{}#badges">{}</a>', member.get_absolute_url(), label
            )
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))


register.filter("money", money)


@register.inclusion_tag("rewards/_recognition.html", takes_context=True)
def member_recognition(context, member) -> dict:
    """The rank and badges on a member's profile (two queries). Points stay private:
    members agree to show them only on leaderboards."""
    account = getattr(member, "points_account", None)
    lifetime = account.lifetime_points if account else 0
    return {
        "rank": selectors.rank_for(lifetime, table=_rank_table(context)),
        "badges": list(selectors.badges_for(member)),
    }
