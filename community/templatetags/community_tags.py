"""Small tags for the community pages: rendered in Python because they run once per row."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from community import search
from core.public_cache import PART_SECONDS, VISITOR_SECONDS
from core.timeago import time_ago
from moderation.selectors import flagged_on_page

register = template.Library()


@register.simple_tag
def timeago(value) -> SafeString:
    """“3 hours ago”, with the exact local time as a tooltip and the instant for machines."""
    exact = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, time_ago(value)
    )


@register.simple_tag
def kudos_label(count: int) -> str:
    """“Kudos: 3”, wherever a post's kudos are counted and in the page's live updates
    (community.views.browse.thread_live). Not “1 kudos”: the count comes after the word,
    which reads the same for any number."""
    return _("Kudos: %(shown)s") % {"shown": intcomma(count)}


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


# Stands for the request's CSRF token in an answer kept for every member: put in when served.
CSRF_STAND_IN = "csrf-token-of-the-request"


@register.simple_tag(takes_context=True)
def answer_articles(context, answers, unlisted=False) -> str:
    """Sets each answer's `article_html` (templates/community/_answer.html), the answer
    with the reader's buttons. Visitors' copies are kept whole by the page. For a member,
    an answer where nothing is theirs (not written, given kudos, flagged or editable by
    them, none of its comments theirs, no thread-wide rights) is the same for every member
    but for the CSRF token: kept under the thread's version with a stand-in for the token,
    like the contents (`_answer_contents`). Renders nothing itself."""
    question = context["question"]
    suffix = _shared_key(context)
    page = context.get("page")
    first = page.start_index() if page is not None and not unlisted else 1
    shared = _shared_with_members(context, question) if not unlisted else (lambda answer: False)
    keys = {}
    for number, answer in enumerate(answers, first):
        answer.number = number
        if shared(answer):
            keys[answer.pk] = f"answer-member:{answer.pk}:{number}:{suffix}"
    kept = cache.get_many(list(keys.values()))
    _answer_contents(context, [a for a in answers if keys.get(a.pk) not in kept])
    template = context.template.engine.get_template("community/_answer.html")
    missing = {}
    for answer in answers:
        key = keys.get(answer.pk)
        html = kept.get(key)
        if html is None:
            stand_in = {"csrf_token": CSRF_STAND_IN} if key else {}
            with context.push(answer=answer, unlisted=unlisted, **stand_in):
                html = template.render(context)
            if key:
                missing[key] = html
        answer.article_html = _with_token(context, html) if key else html
    if missing:
        cache.set_many(missing, PART_SECONDS)
    return ""


def _shared_key(context) -> str:
    """What a thread's kept parts depend on besides the answer: the thread's version, the
    language and the time zone (the exact times in the tooltips)."""
    question = context["question"]
    language = context.get("LANGUAGE_CODE", "")
    return f"{question.version}:{language}:{timezone.get_current_timezone_name()}"


def _shared_with_members(context, question):
    """Whether an answer shows every member the same (see answer_articles)."""
    user = context.get("user")
    if context.get("shared_with_members"):
        return lambda answer: True  # nothing in the thread is theirs (views.posts._shared_with)
    if user is None or not user.is_authenticated:
        return lambda answer: False  # a visitor's page is kept whole
    if context.get("can_accept") or context.get("can_moderate_thread"):
        return lambda answer: False
    flagged = flagged_on_page(context.get("request"), user, question, question=question)

    def shared(answer) -> bool:
        if answer.author_id == user.pk or answer.voted or answer.editable:
            return False
        if ("answer", answer.pk) in flagged:
            return False
        return not any(
            comment.author_id == user.pk or ("comment", comment.pk) in flagged
            for comment in answer.comments.all()
        )

    return shared


@register.tag
def kept_for_members(parser, token):
    """`{% kept_for_members %}…{% endkept_for_members %}`: for a member with nothing of
    theirs in the thread (context `shared_with_members`), the part is kept like a
    visitor's copy, under the thread's version, page, language and time zone, with a
    stand-in for the CSRF token; anyone else gets it rendered."""
    nodelist = parser.parse(("endkept_for_members",))
    parser.delete_first_token()
    return KeptForMembersNode(nodelist)


class KeptForMembersNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        if not context.get("shared_with_members"):
            return self.nodelist.render(context)
        question, page = context["question"], context["page"]
        key = f"thread-member:{question.pk}:{page.number}:{_shared_key(context)}"
        html = cache.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_STAND_IN):
                html = self.nodelist.render(context)
            cache.set(key, html, VISITOR_SECONDS)  # as a visitor's whole page
        return _with_token(context, html)


def _with_token(context, html: str) -> SafeString:
    """A kept part with the request's CSRF token in place of the stand-in (read only
    here: a token read marks the response as not to be kept for visitors)."""
    return mark_safe(html.replace(CSRF_STAND_IN, str(context.get("csrf_token", ""))))  # noqa: S308 rendered by the templates


def _answer_contents(context, answers) -> None:
    """Sets each answer's `content_html` (templates/community/_answer_content.html): read
    for the whole page in one cache read, the missing ones rendered and kept under the
    thread's version (Question.version, bumped by every change a thread shows), the
    language and the time zone, as long as a visitor's copy."""
    if not answers:
        return
    question = context["question"]
    key = _shared_key(context)
    keys = {a.pk: f"answer-content:{a.pk}:{key}" for a in answers}
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
        cache.set_many(missing, PART_SECONDS)
