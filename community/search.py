"""Finding questions: the one search behind the search page, suggestions while asking,
the contact page, related questions and the API.

A question is indexed by the terms of its title (weight A), its body (B) and its visible
answers (C), as search.analysis makes them, and found by the terms of a query as
search.engine reads it: every word helps, none is required. PostgreSQL keeps the terms
in `search_vector` (the `simple` configuration: the terms are stems already) with a GIN
index; SQLite (`make run`) in the FTS5 table `community_question_fts`. Both rank by
weight and frequency, then solved questions and those with an official answer higher.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, OuterRef, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from community.models import Answer, Question, Visibility
from search import analysis, engine

# A page lists the best matches only: ranking every match of a common word grows with
# the community.
MAX_RESULTS = 500
RESULTS_SECONDS = 120
SORTS = ("relevance", "newest")
FTS_TABLE = "community_question_fts"
FTS_IDS = "SELECT rowid FROM community_question_fts WHERE community_question_fts MATCH %s"
# bm25 is lower for better matches; its weights are the title's, the body's, the answers'.
FTS_SCORE = (
    "SELECT -bm25(community_question_fts, 1.0, 0.6, 0.3) FROM community_question_fts"
    " WHERE community_question_fts MATCH %s AND rowid = community_question.id"
)
# Ranking boosts: a solved question, one with an official answer.
SOLVED_BOOST, OFFICIAL_BOOST = 1.5, 1.2
# ts_rank's weights of D, C, B, A: answers (C) count, the title (A) most.
WEIGHTS = [0.1, 0.3, 0.6, 1.0]
SNIPPET_WORDS = 30


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Indexing ------------------------------------------------------------------------


BATCH = 1000


def _terms(texts: tuple[str, ...], language: str) -> tuple[str, ...]:
    return tuple(
        " ".join(analysis.document_terms(t, language, engine.compound_parts)) for t in texts
    )


def index_questions(questions: QuerySet) -> None:
    """Index the given questions again, with their visible answers, a thousand at a
    time; learn their words first, so that compounds split into them."""
    ids = list(questions.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _index_batch(ids[start : start + BATCH])


def _index_batch(ids: list[int]) -> None:
    answers: dict[int, list[str]] = {}
    for question_id, body in Answer.objects.filter(
        question__in=ids, visibility=Visibility.VISIBLE
    ).values_list("question_id", "body"):
        answers.setdefault(question_id, []).append(body)
    rows = [
        (pk, (title, body, " ".join(answers.get(pk, []))), language)
        for pk, title, body, language in Question.objects.filter(pk__in=ids).values_list(
            "pk", "title", "body", "language"
        )
    ]
    # Only what everyone may read becomes a word to correct to or split into.
    visible = set(
        Question.objects.filter(pk__in=ids, visibility=Visibility.VISIBLE).values_list(
            "pk", flat=True
        )
    )
    engine.learn(
        w for pk, texts, _ in rows if pk in visible for text in texts for w in analysis.words(text)
    )
    indexed = [(pk, *_terms(texts, language)) for pk, texts, language in rows]
    with connection.cursor() as cursor:
        if _postgres():
            cursor.executemany(
                "UPDATE community_question SET search_vector ="
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C') WHERE id = %s",
                [(title, body, answered, pk) for pk, title, body, answered in indexed],
            )
        else:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in ids])  # noqa: S608 - a constant
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, answers) VALUES (%s, %s, %s, %s)",  # noqa: S608 - a constant
                indexed,
            )


def index_thread(question_id: int) -> None:
    """After an answer was added, edited, hidden or restored."""
    index_questions(Question.objects.filter(pk=question_id))


# --- Searching -----------------------------------------------------------------------


@dataclass
class Filters:
    """The search page's and the API's narrowing of the results."""

    forum: str = ""
    tag: str = ""
    solved: bool = False
    official: bool = False
    days: int | None = None  # asked within the last days
    sort: str = "relevance"


def _tsquery(query: engine.Query) -> str:
    """A tsquery of terms that are letters and digits only (search.analysis), so no
    operator a visitor typed ever reaches it."""
    parts = [_lexeme(term) for term in query.terms]
    if query.prefix:
        parts.append(f"{_lexeme(query.prefix)}:*")
    if len(query.phrase) > 1:
        parts.append("(" + " <-> ".join(_lexeme(term) for term in query.phrase) + ")")
    return " | ".join(parts)


def _lexeme(term: str) -> str:
    """A quoted lexeme: whatever a term holds, it is no tsquery syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_match(query: engine.Query) -> str:
    parts = [_string(term) for term in query.terms]
    if query.prefix:
        parts.append(f"{_string(query.prefix)}*")
    if len(query.phrase) > 1:
        parts.append(_string(" ".join(query.phrase)))
    return " OR ".join(parts)


def _string(text: str) -> str:
    """An FTS5 string: whatever a term holds, it is no query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _matching(query: engine.Query) -> QuerySet:
    """Visible questions matching the query, annotated with `rank` (higher is better)
    and `has_official`."""
    questions = Question.objects.filter(visibility=Visibility.VISIBLE)
    if _postgres():
        tsquery = SearchQuery(_tsquery(query), search_type="raw", config="simple")
        questions = questions.filter(search_vector=tsquery).annotate(
            score=SearchRank(F("search_vector"), tsquery, weights=WEIGHTS, normalization=1)
        )
    else:
        match = _fts_match(query)
        questions = questions.filter(
            pk__in=RawSQL(FTS_IDS, [match])  # noqa: S611 - the match is a parameter
        ).annotate(
            score=RawSQL(FTS_SCORE, [match], output_field=FloatField())  # noqa: S611 - as above
        )
    official = Answer.objects.filter(
        question=OuterRef("pk"), is_official=True, visibility=Visibility.VISIBLE
    )
    return questions.annotate(
        has_official=Exists(official),
        rank=F("score")
        * Case(When(status=Question.Status.SOLVED, then=Value(SOLVED_BOOST)), default=Value(1.0))
        * Case(When(has_official=True, then=Value(OFFICIAL_BOOST)), default=Value(1.0)),
    )


def search_questions(query: engine.Query, filters: Filters | None = None) -> QuerySet:
    """Questions matching `query` (search.engine.parse), best first or newest first."""
    if not query:
        return Question.objects.none()
    filters = filters or Filters()
    questions = _matching(query)
    if filters.forum:
        questions = questions.filter(forum__slug=filters.forum)
    if filters.tag:
        questions = questions.filter(tags__name=filters.tag)
    if filters.solved:
        questions = questions.filter(status=Question.Status.SOLVED)
    if filters.official:
        questions = questions.filter(has_official=True)
    if filters.days:
        questions = questions.filter(created_at__gte=timezone.now() - timedelta(days=filters.days))
    if filters.sort == "newest":
        return questions.order_by("-created_at")
    return questions.order_by("-rank", "-last_activity_at")


def ranked_ids(query: engine.Query, filters: Filters | None = None) -> list[int]:
    """The ids of the best MAX_RESULTS matches, kept RESULTS_SECONDS per query and
    filters: ranking every match of a common word is the expensive part of a search, and
    people search for the same things (the pages read the questions again, so one hidden
    meanwhile is left out)."""
    if not query:
        return []
    filters = filters or Filters()
    key = (
        "search:ids:"
        + salted_hmac(
            "peerdesk.search.results", repr((query.terms, query.prefix, query.phrase, filters))
        ).hexdigest()
    )
    ids = cache.get(key)
    if ids is None:
        ids = list(search_questions(query, filters).values_list("pk", flat=True)[:MAX_RESULTS])
        cache.set(key, ids, RESULTS_SECONDS)
    return ids


def questions_in_order(ids: list[int]) -> list[Question]:
    """The visible questions of `ids`, in that order, with forum, author and whether
    they have an official answer."""
    official = Answer.objects.filter(
        question=OuterRef("pk"), is_official=True, visibility=Visibility.VISIBLE
    )
    found = (
        Question.objects.filter(pk__in=ids, visibility=Visibility.VISIBLE)
        .select_related("forum", "author")
        .annotate(has_official=Exists(official))
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


def similar_questions(title: str, *, limit: int = 5) -> list[Question]:
    """Questions like a text being typed (the ask page, the contact page)."""
    return questions_in_order(ranked_ids(engine.parse(title))[:limit])


def related_questions(question: Question, *, limit: int = 5) -> list[Question]:
    """Questions like this one, by its title."""
    ids = [pk for pk in ranked_ids(engine.parse(question.title)) if pk != question.pk]
    return questions_in_order(ids[:limit])


# --- Showing -------------------------------------------------------------------------

_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+(?:[!\-./']\w+)*")


def _matches(word: str, query: engine.Query, terms: set[str]) -> bool:
    for normal in analysis.words(word):
        if analysis.word_stems(normal) & terms:
            return True
        if query.prefix and normal.startswith(query.prefix):
            return True
    return False


def _marked(text: str, query: engine.Query) -> str:
    terms = set(query.terms)
    return _WORD.sub(
        lambda m: f"{_START}{m.group()}{_STOP}" if _matches(m.group(), query, terms) else m.group(),
        text,
    )


def snippets(questions, query: engine.Query) -> None:
    """Give each question of a page `title_snippet` and `body_snippet`: the matched
    words marked (Python, the same on both databases; a page is a few questions)."""
    for question in questions:
        question.title_snippet = _marked(question.title, query)
        words = question.body.split()
        terms = set(query.terms)
        first = next((i for i, w in enumerate(words) if _matches(w, query, terms)), 0)
        start = max(0, first - 8)
        excerpt = Truncator(" ".join(words[start:])).words(SNIPPET_WORDS)
        question.body_snippet = ("… " if start else "") + _marked(excerpt, query)


def highlight(snippet: str) -> SafeString:
    """Escape a snippet and turn the match markers into <mark> elements."""
    return mark_safe(  # noqa: S308 - escaped first, then only our markers replaced
        escape(snippet.replace("\n", " ")).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
