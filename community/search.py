"""Full-text search over questions.

PostgreSQL: a weighted tsvector per question (title A over body B) in the
question's language, a GIN index, ranked results with highlighted snippets.
A query is parsed in both German and English, so either finds its stems.
SQLite (the `make run` default) falls back to finding every word as a substring.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from community.models import Language, Question, Visibility

CONFIGS = {Language.GERMAN: "german", Language.ENGLISH: "english"}
# Control characters cannot occur in a stored post (core.text.clean_text removes them on
# the way in), so they mark matches safely before the snippet is escaped for HTML.
_START, _STOP = "\x02", "\x03"
# A page lists the best matches only: counting and ranking every match of a
# common word grows with the community (measured: 21,558 matches at --scale 50).
MAX_RESULTS = 500


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def index_questions(questions: QuerySet) -> None:
    """Recompute the search vector of the given questions (set-based, one UPDATE per language)."""
    if not _postgres():
        return
    for language, config in CONFIGS.items():
        questions.filter(language=language).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
        )


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config="german", search_type="websearch") | SearchQuery(
        text, config="english", search_type="websearch"
    )


def _headline(field: str, query: SearchQuery, **options) -> Case:
    return Case(
        *[
            When(language=language, then=SearchHeadline(field, query, config=config, **options))
            for language, config in CONFIGS.items()
        ],
        default=F(field),
        output_field=TextField(),
    )


def _searchable() -> QuerySet:
    """Only visible questions are found (a hidden one keeps its vector for when it is back)."""
    return Question.objects.filter(visibility=Visibility.VISIBLE)


def _words(text: str) -> list[str]:
    """The words of a typed text. Control characters are no words, and PostgreSQL
    refuses a NUL in a query."""
    return "".join(char if char.isprintable() else " " for char in text).split()


def search_questions(text: str) -> QuerySet:
    """Questions matching `text`, best first, each with `title_snippet` and `body_snippet`."""
    text = " ".join(_words(text))[:200]
    questions = _searchable().select_related("forum", "author")
    if not text:
        return questions.none()
    if not _postgres():
        every_word = Q()
        for word in text.split()[:12]:
            every_word &= Q(title__icontains=word) | Q(body__icontains=word)
        return (
            questions.filter(every_word)
            .annotate(
                rank=Value(1.0), title_snippet=F("title"), body_snippet=Substr("body", 1, 240)
            )
            .order_by("-last_activity_at")
        )
    query = _query(text)
    options = {"start_sel": _START, "stop_sel": _STOP}
    return (
        questions.filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            title_snippet=_headline("title", query, highlight_all=True, **options),
            body_snippet=_headline("body", query, max_words=30, min_words=12, **options),
        )
        .order_by("-rank", "-last_activity_at")
    )


def similar_questions(title: str, *, limit: int = 5) -> list[Question]:
    """Questions like a title being typed: any of its words may match."""
    words = [w for w in _words(title) if len(w) > 2][:12]
    if not words:
        return []
    if not _postgres():
        return list(search_questions(words[0])[:limit])
    query = _query(" or ".join(words))
    return list(
        _searchable()
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank")
        .only("pk", "title", "status", "answer_count")[:limit]
    )


def highlight(snippet: str) -> SafeString:
    """Escape a snippet and turn the match markers into <mark> elements."""
    return mark_safe(  # noqa: S308 - escaped first, then only our markers replaced
        escape(snippet.replace("\n", " ")).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
