"""What the widget shows, as JSON-ready dicts kept a short while in the cache: the same for
every visitor of a language (a visitor's proof of a page view is added by the view, never
kept). Only visible questions with a visible answer are shown.

- Search: the site's search (community.search.ranked_ids over search.engine.parse, whose
  last word is completed as typed), answered questions only, those in the widget's
  language first. Kept SEARCH_SECONDS under the query, topic and language.
- Top solved: a topic's (forum's) solved questions with the most kudos, those in the
  widget's language first. Kept TOP_SECONDS under the topic and language.
- An answer: the question with its accepted answer, or its most helpful visible one when
  none is accepted (or the accepted one is hidden). Kept under the question's version,
  which every change to the thread bumps, so an edit or a moderation shows at once.
"""

import hashlib
from html import unescape

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator

from community import search
from community.models import Answer, Forum, Question, Visibility
from community.selectors import visible_questions
from search import engine

# The longest query looked at (the site's search reads at most 16 words anyway).
QUERY_MAX = 200
RESULTS = 6
TOP = 6
# Matches looked at for RESULTS answered ones; top solved questions for TOP in a language.
CANDIDATES = 30
SEARCH_SECONDS = 30
TOP_SECONDS = 120
ANSWER_SECONDS = 600
EXCERPT_CHARS = 160


def _key(*parts: object) -> str:
    return "widget:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _cached(key: str, seconds: int, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _still_visible(results: list[dict]) -> list[dict]:
    """Kept results without the questions hidden or removed since (one query): what a
    moderator takes down leaves the widget at once, not when the kept list expires."""
    ids = [row["id"] for row in results]
    visible = set(visible_questions().filter(pk__in=ids).values_list("pk", flat=True))
    return [row for row in results if row["id"] in visible]


def topic_find(slug: str) -> Forum | None:
    """The forum of a `data-topic`, or None for the whole community ("").
    Raises Forum.DoesNotExist."""
    return Forum.objects.get(slug=slug) if slug else None


def _topic(forum: Forum | None) -> dict | None:
    if forum is None:
        return None
    return {"slug": forum.slug, "name": forum.name, "url": forum.get_absolute_url()}


def _excerpt(html: str) -> str:
    return Truncator(" ".join(unescape(strip_tags(html)).split())).chars(EXCERPT_CHARS)


def _with_answers(questions: QuerySet) -> QuerySet:
    return questions.select_related("forum", "accepted_answer").defer(
        "body", "body_html", "accepted_answer__body"
    )


def _item(question: Question) -> dict:
    answer = question.accepted_answer
    if answer is not None and not answer.is_visible:
        answer = None
    return {
        "id": question.pk,
        "title": question.title,
        "topic": question.forum.name,
        "solved": answer is not None,
        "official": answer is not None and answer.is_official,
        "answers": question.answer_count,
        "excerpt": _excerpt(answer.body_html) if answer is not None else "",
        "url": question.get_absolute_url(),
    }


def _language_first(questions: list[Question], language: str, limit: int) -> list[dict]:
    """Questions in `language` first, each group in the order given (sorted is stable)."""
    ordered = sorted(questions, key=lambda question: question.language != language)
    return [_item(question) for question in ordered[:limit]]


def search_results(*, query: str, forum: Forum | None, language: str) -> list[dict]:
    """The best answered questions for a query being typed. Two queries when not cached
    (the search, which the site's search keeps a while itself, and the questions)."""
    text = " ".join(query.split())[:QUERY_MAX]
    if not text:
        return []

    def compute() -> list[dict]:
        filters = search.Filters(forum=forum.slug) if forum else None
        ids = search.ranked_ids(engine.parse(text), filters)[:CANDIDATES]
        rank = {pk: position for position, pk in enumerate(ids)}
        found = _with_answers(visible_questions().filter(pk__in=ids, answer_count__gt=0))
        return _language_first(sorted(found, key=lambda q: rank[q.pk]), language, RESULTS)

    slug = forum.slug if forum else ""
    found = _cached(_key("search", text.lower(), slug, language), SEARCH_SECONDS, compute)
    return _still_visible(found)


def top_solved(*, forum: Forum | None, language: str) -> dict:
    """{"topic": the forum or None, "results": its most helpful solved questions}. One
    query when not cached (in a forum, along the index of its questions by kudos)."""

    def compute() -> dict:
        questions = visible_questions().filter(status=Question.Status.SOLVED)
        if forum is not None:
            questions = questions.filter(forum=forum)
        best = _with_answers(questions).order_by("-vote_score", "-pk")[:CANDIDATES]
        return {"topic": _topic(forum), "results": _language_first(list(best), language, TOP)}

    slug = forum.slug if forum else ""
    kept = _cached(_key("top", slug, language), TOP_SECONDS, compute)
    return kept | {"results": _still_visible(kept["results"])}


def answer_shown(question: Question) -> Answer | None:
    """The accepted answer if it is visible, else the visible one with the most kudos (the
    oldest of equals), as the thread lists them; None if no answer is visible."""
    accepted = question.accepted_answer
    if accepted is not None and accepted.is_visible:
        return accepted
    return (
        Answer.objects.filter(question=question, visibility=Visibility.VISIBLE)
        .order_by("-vote_score", "created_at", "pk")
        .first()
    )


def question_answer(pk: int) -> dict | None:
    """The question and the answer the widget shows, or None (no such visible question,
    or no visible answer). One query when cached, three at most when not."""
    version = (
        visible_questions()
        .filter(pk=pk, answer_count__gt=0)
        .values_list("version", flat=True)
        .first()
    )
    if version is None:
        return None

    def compute() -> dict | bool:
        question = visible_questions().select_related("forum", "accepted_answer").get(pk=pk)
        answer = answer_shown(question)
        if answer is None:
            return False  # kept too: the next request asks nothing more of this version
        return {
            "id": question.pk,
            "title": question.title,
            "url": question.get_absolute_url(),
            "topic": _topic(question.forum),
            "answer": {
                "id": answer.pk,
                "html": answer.body_html,
                "accepted": answer.pk == question.accepted_answer_id,
                "official": answer.is_official,
                "url": answer.get_absolute_url(),
            },
        }

    return _cached(_key("answer", pk, version), ANSWER_SECONDS, compute) or None
