"""Small tags for the community pages: rendered in Python because they run once per row."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from community import search

register = template.Library()


@register.simple_tag
def timeago(value) -> SafeString:
    """“3 hours ago”, with the exact local time as a tooltip and the instant for machines."""
    exact = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, naturaltime(value)
    )


@register.filter
def author_link(author) -> SafeString:
    """The author's name linking to their profile; erased members stay anonymous."""
    if author is None:
        return format_html('<span class="muted">{}</span>', _("Deleted member"))
    return format_html(
        '<a href="{}">{}</a>', author.get_absolute_url(), author.display_name or _("Member")
    )


@register.filter
def highlighted(snippet: str) -> SafeString:
    """A search snippet, escaped, with the matched words in <mark>."""
    return search.highlight(snippet or "")
