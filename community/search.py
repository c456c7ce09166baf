"""Finding questions: the one search behind the search page, suggestions while asking,
the contact page, related questions and the API, the same on PostgreSQL and SQLite.

The index is a posting table (QuestionTerm): each term of a question's title, body and
visible answers, as search.analysis makes them, with its impact (search.ranking). A
query (search.engine) looks up its terms: every word helps, none is required. A search
reads, per term, only its highest impacts (CANDIDATES), then scores those questions
fully, so a word in every third question costs what a rare one does. Filters read all
postings of the terms among the questions they leave.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from community.models import Answer, Question, QuestionTerm, Visibility
from core import sql
from search import analysis, engine, ranking

# A page lists the best matches only: ranking every match of a common word grows with
# the community.
MAX_RESULTS = 500
RESULTS_SECONDS = 120
SORTS = ("relevance", "newest")
# The postings read per term without filters: the best of a common word, all of a rare one.
CANDIDATES = 300
# Ranking boosts: a solved question, one with an official answer.
SOLVED_BOOST, OFFICIAL_BOOST = 1.5, 1.2
# The most terms a search looks up, the weightiest (a query has at most 16 words, but
# each may bring stems in two languages, synonyms, parts and a correction).
MAX_TERMS = 16
# With filters every posting of a term is read, so only of the rarest few.
MAX_FILTERED_TERMS = 4
# The last word's completions count less than the words as typed.
COMPLETION_WEIGHT = 0.5
# How long a term's number of questions (its idf) is kept.
FREQUENCY_SECONDS = 600
SNIPPET_WORDS = 30


# --- Indexing ------------------------------------------------------------------------


BATCH = 1000


def _terms(text: str, language: str) -> list[str]:
    return analysis.document_terms(text, language, engine.compound_parts)


def index_questions(questions: QuerySet, progress: Callable[[int], object] | None = None) -> None:
    """Index the given questions again, with their visible answers, a thousand at a
    time (each batch told to `progress`); learn their words first, so that compounds
    split into them."""
    ids = list(questions.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            _index_batch(batch)
        if progress:
            progress(len(batch))


def _index_batch(ids: list[int]) -> None:
    answers: dict[int, list[str]] = {}
    for question_id, body in Answer.objects.filter(
        question__in=ids, visibility=Visibility.VISIBLE
    ).values_list("question_id", "body"):
        answers.setdefault(question_id, []).append(body)
    # Only what everyone may read is indexed: hidden, pending and removed questions leave
    # no word to find, count or correct to (their postings go; a change of visibility
    # indexes the thread again).
    rows = Question.objects.filter(pk__in=ids, visibility=Visibility.VISIBLE).values_list(
        "pk", "title", "body", "language"
    )
    engine.learn(
        w
        for pk, title, body, _ in rows
        for text in (title, body, *answers.get(pk, []))
        for w in analysis.words(text)
    )
    postings = [
        (pk, term, impact)
        for pk, title, body, language in rows
        for term, impact in ranking.impacts(
            _terms(title, language) + analysis.title_pairs(title, language),
            _terms(body, language),
            _terms(" ".join(answers.get(pk, [])), language),
        ).items()
    ]
    QuestionTerm.objects.filter(question__in=ids).delete()
    sql.insert_rows(QuestionTerm, ("question_id", "term", "impact"), postings)
    # A word's count may have been kept as none: the new question is found at once (once
    # committed: a count read before that would be kept as none again).
    keys = {_count_key(term) for _, term, _ in postings}
    transaction.on_commit(lambda: cache.delete_many(keys))


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

    def questions(self) -> QuerySet | None:
        """The visible questions these filters leave, or None if they leave all."""
        questions = Question.objects.filter(visibility=Visibility.VISIBLE)
        if self.forum:
            questions = questions.filter(forum__slug=self.forum)
        if self.tag:
            questions = questions.filter(tags__name=self.tag)
        if self.solved:
            questions = questions.filter(status=Question.Status.SOLVED)
        if self.official:
            questions = questions.filter(Exists(_official()))
        if self.days:
            questions = questions.filter(created_at__gte=timezone.now() - timedelta(days=self.days))
        narrowed = self.forum or self.tag or self.solved or self.official or self.days
        return questions if narrowed else None


def _official():
    return Answer.objects.filter(
        question=OuterRef("pk"), is_official=True, visibility=Visibility.VISIBLE
    )


# How many questions have each term, and ('') how many questions there are.
TERM_COUNTS = "SELECT term, COUNT(*) FROM community_questionterm WHERE term IN ({}) GROUP BY term"
QUESTION_COUNT = "SELECT '', COUNT(*) FROM community_question WHERE visibility = 'visible'"


def _count_key(term: str) -> str:
    return "search:df:" + term.replace(" ", "+")


def _counts(terms: list[str]) -> dict[str, int]:
    """How many questions have each term, and under '' how many questions there are: in
    one query, and kept a while (the counts change slowly)."""
    keys = {term: _count_key(term) for term in ["", *terms]}
    cached = cache.get_many(keys.values())
    counts = {term: cached[key] for term, key in keys.items() if key in cached}
    missing = [term for term in keys if term not in counts]
    if missing:
        words = [term for term in missing if term]
        parts = [TERM_COUNTS.format(", ".join(["%s"] * len(words)))] if words else []
        parts += [QUESTION_COUNT] if "" in missing else []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), words)
            found = dict.fromkeys(missing, 0) | dict(cursor.fetchall())
        cache.set_many({keys[term]: n for term, n in found.items()}, FREQUENCY_SECONDS)
        counts |= found
    return counts


def _weights(query: engine.Query) -> dict[str, float]:
    """The query's MAX_TERMS weightiest terms that some question has, with their
    weights: the idf, less for a completion. A long sentence's commonest words rank
    little and would cost most (their postings are the longest)."""
    counts = _counts(query.searched)
    completions = set(query.completions) - set(query.terms)
    weights = {
        term: ranking.idf(counts[""], counts[term])
        * (COMPLETION_WEIGHT if term in completions else 1.0)
        for term in query.searched
        if counts[term]
    }
    return dict(sorted(weights.items(), key=lambda item: -item[1])[:MAX_TERMS])


# The best scored questions among those `{within}` gives; the one SQL of every search.
# Table names are constants, every value a parameter.
RANKED = """
SELECT q.id FROM (
    SELECT p.question_id, SUM(p.impact * CASE p.term {weights} END) AS score
    FROM community_questionterm p
    WHERE p.term IN ({terms}) AND p.question_id IN ({within})
    GROUP BY p.question_id
) s JOIN community_question q ON q.id = s.question_id
WHERE q.visibility = %s
ORDER BY {order}
LIMIT %s
"""
BY_RELEVANCE = (
    "s.score * CASE WHEN q.status = %s THEN %s ELSE 1 END * CASE WHEN EXISTS ("
    "SELECT 1 FROM community_answer a WHERE a.question_id = q.id AND a.is_official"
    " AND a.visibility = %s) THEN %s ELSE 1 END DESC, q.last_activity_at DESC, q.id DESC"
)
NEWEST = "q.created_at DESC, q.id DESC"
# A term's highest impacts: an index-only scan of question_term_impact.
BEST = (
    "SELECT * FROM (SELECT question_id FROM community_questionterm"
    " WHERE term = %s ORDER BY impact DESC LIMIT %s) AS best{n}"
)


def _ranked(weights: dict[str, float], filters: Filters, within: QuerySet | None) -> list[int]:
    within = within if within is not None else filters.questions()
    if within is None and filters.sort == "newest":
        within = Question.objects.filter(visibility=Visibility.VISIBLE)
    if within is None:
        candidates = " UNION ".join(BEST.format(n=n) for n in range(len(weights)))
        candidate_params = [p for term in weights for p in (term, CANDIDATES)]
    else:
        # Every posting of the terms is read here: of the rarest few only.
        weights = dict(list(weights.items())[:MAX_FILTERED_TERMS])
        candidates, candidate_params = within.order_by().values("pk").query.sql_with_params()
    newest = filters.sort == "newest"
    text = RANKED.format(
        weights=" ".join(["WHEN %s THEN %s"] * len(weights)),
        terms=", ".join(["%s"] * len(weights)),
        within=candidates,
        order=NEWEST if newest else BY_RELEVANCE,
    )
    params = [
        *(p for item in weights.items() for p in item),
        *weights,
        *candidate_params,
        Visibility.VISIBLE,
        *(
            ()
            if newest
            else (Question.Status.SOLVED, SOLVED_BOOST, Visibility.VISIBLE, OFFICIAL_BOOST)
        ),
        MAX_RESULTS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        return [pk for (pk,) in cursor.fetchall()]


def ranked_ids(
    query: engine.Query, filters: Filters | None = None, *, within: QuerySet | None = None
) -> list[int]:
    """The ids of the best MAX_RESULTS visible questions for `query` (search.engine.parse),
    narrowed by `filters` or to the questions of `within`. Kept RESULTS_SECONDS under the
    terms looked up (in any order), as people search for the same things (the pages read
    the questions again, so one hidden meanwhile is left out)."""
    weights = _weights(query) if query else {}
    if not weights:
        return []
    filters = filters or Filters()
    narrowed = "" if within is None else str(within.order_by().values("pk").query)
    key = (
        "search:ids:"
        + salted_hmac(
            "peerdesk.search.results", repr((sorted(weights), filters, narrowed))
        ).hexdigest()
    )
    ids = cache.get(key)
    if ids is None:
        ids = _ranked(weights, filters, within)
        cache.set(key, ids, RESULTS_SECONDS)
    return ids


def questions_in_order(ids: list[int]) -> list[Question]:
    """The visible questions of `ids`, in that order, with forum, author and whether
    they have an official answer."""
    found = (
        Question.objects.filter(pk__in=ids, visibility=Visibility.VISIBLE)
        .select_related("forum", "author")
        .annotate(has_official=Exists(_official()))
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
