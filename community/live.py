"""Live updates of a thread for its open pages: each page asks every few seconds whether
the thread changed (GET /q/<pk>/live/ with the version it shows as its ETag).

What a waiting reader costs: one cache read and a 304, whatever the number of readers.
The thread's version is read from the database at most once per LIVE_SECONDS per thread
and kept, so no write has to remember to tell this cache: a change (a new answer, kudos,
an accept, moderation: everything that bumps Question.version) reaches the pages within
LIVE_SECONDS plus their polling interval (static/js/peerdesk.js, 5 s): under 10 s."""

from django.core.cache import cache

from community.models import Answer, Question, Visibility

LIVE_SECONDS = 4
HIDDEN = -1  # kept for a thread that is not public: nobody gets live updates of it


def thread_version(pk: int) -> int | None:
    """The version of a visible thread; None when there is no such public thread."""
    key = f"thread-live:{pk}"
    version = cache.get(key)
    if version is None:
        row = Question.objects.filter(pk=pk).values_list("version", "visibility").first()
        version = HIDDEN if row is None or row[1] != Visibility.VISIBLE else row[0]
        cache.set(key, version, LIVE_SECONDS)
    return None if version == HIDDEN else version


def thread_figures(pk: int, answer_ids: list[int]) -> dict:
    """What a page updates in place: the count of public answers, the question's kudos and
    those of the answers it shows (public ones only). Two queries."""
    question = Question.objects.filter(pk=pk, visibility=Visibility.VISIBLE).values(
        "answer_count", "vote_score"
    )
    figures = question.first() or {"answer_count": 0, "vote_score": 0}
    shown = Answer.objects.filter(
        question_id=pk, pk__in=answer_ids, visibility=Visibility.VISIBLE
    ).values_list("pk", "vote_score")
    return {**figures, "answers": dict(shown)}
