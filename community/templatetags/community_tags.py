"""Small tags for the community pages: rendered in Python because they run once per row."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from community import search

register = template.Library()

CONTENT_SECONDS = 300  # as templates/community/_cached_for_visitors.html


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


@register.simple_tag(takes_context=True)
def answer_contents(context, answers) -> str:
    """Sets each answer's `content_html` (templates/community/_answer_content.html): read
    for the whole page in one cache read, the missing ones rendered and kept under the
    thread's version (Question.version, bumped by every change a thread shows) and the
    language, as long as a visitor's copy. Renders nothing itself."""
    question = context["question"]
    language = context.get("LANGUAGE_CODE", "")
    keys = {a.pk: f"answer-content:{a.pk}:{question.version}:{language}" for a in answers}
    kept = cache.get_many(list(keys.values()))
    missing = {}
    for answer in answers:
        answer.content_html = kept.get(keys[answer.pk])
        if answer.content_html is None:
            answer.content_html = render_to_string(
                "community/_answer_content.html", {"answer": answer, "question": question}
            )
            missing[keys[answer.pk]] = answer.content_html
    if missing:
        cache.set_many(missing, CONTENT_SECONDS)
    return ""
