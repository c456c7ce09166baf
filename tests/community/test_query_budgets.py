"""Hot pages cost the same number of queries whatever the size of what they show."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branding.selectors import current as brand
from community import services
from community.models import Question
from core import public_cache
from privacy.visitors import visitor_hash
from rewards.selectors import ranks
from tests.factories import ForumFactory, UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _thread(*, answers: int, forum, viewer) -> Question:
    """A question with official, accepted, commented answers the viewer gave kudos to."""
    asker, helper, staff = UserFactory(), UserFactory(), UserFactory(role="Support leads")
    question = make_question(author=asker, forum=forum, tags=["router", "wlan"])
    for n in range(answers):
        answer = make_answer(question=question, author=staff if n % 5 == 0 else helper)
        services.comment_create(answer=answer, author=asker, body=f"Comment {n}")
        services.comment_create(answer=answer, author=viewer, body=f"Reply {n}")
        services.vote_cast(user=viewer, post=answer)
    services.answer_accept(answer=answer, by=asker)
    services.vote_cast(user=viewer, post=question)
    services.follow_start(user=viewer, target=question)
    return question


@pytest.fixture
def threads(forum, other_member) -> tuple[Question, Question]:
    return (
        _thread(answers=2, forum=forum, viewer=other_member),
        _thread(answers=40, forum=forum, viewer=other_member),  # two pages of answers,
    )


def test_the_question_page_costs_the_same_with_2_or_40_answers_for_a_visitor(client, threads):
    small, large = (q.get_absolute_url() for q in threads)
    client.get(small)  # warm-up: first-request work is not what we measure

    cache.clear()
    ranks()  # site-wide, cached for a minute: not per-thread work
    brand()  # site-wide, cached: neither
    visitor_hash("warm-up")  # the day's visitor salt, cached for the day: neither
    cold = _queries(client, small), _queries(client, large)
    warm = _queries(client, small), _queries(client, large)

    assert cold[0] == cold[1]
    assert warm[0] == warm[1] < cold[0]


def test_the_question_page_costs_the_same_with_2_or_40_answers_for_a_member(
    client, other_member, threads
):
    small, large = (q.get_absolute_url() for q in threads)
    client.force_login(other_member)
    client.get(small), client.get(large)  # the parts every reader shares kept warm

    # The member, the question's version with their own states, answers, comments, their
    # kudos, their flags, the bounty: the member's roles, consent and bell are kept.
    assert _queries(client, small) == _queries(client, large) == 7


def test_the_question_page_for_a_visitor_with_a_session_costs_the_same(client, threads):
    form = reverse("community:solved_too", args=[threads[0].pk])  # loaded by the page
    page = client.get(form, HTTP_HX_REQUEST="true").content.decode()
    proof = re.search(r'name="proof" value="([^"]+)"', page)[1]
    client.post(reverse("community:solved_too", args=[threads[0].pk]), {"proof": proof})
    assert client.session.session_key  # the mark is remembered in a session
    small, large = (q.get_absolute_url() for q in threads)
    cache.clear()
    ranks()  # site-wide, cached for a minute: not per-thread work
    brand()  # site-wide, cached: neither
    visitor_hash("warm-up")  # the day's visitor salt, cached for the day: neither
    client.session.load()  # the session back in the cache from the database (cached_db)

    assert _queries(client, small) == _queries(client, large)


def _forum_with(questions: int, *, viewer) -> str:
    forum = ForumFactory()
    authors = [UserFactory() for _ in range(3)]
    for n in range(questions):
        question = make_question(
            author=authors[n % 3], forum=forum, title=f"Question number {n}", tags=["esim", f"t{n}"]
        )
        if n % 2:
            make_answer(question=question, author=viewer)
    services.follow_start(user=viewer, target=forum)
    return forum.get_absolute_url()


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_forum_page_costs_the_same_with_3_or_60_questions(client, member, who, monkeypatch):
    small, large = _forum_with(3, viewer=member), _forum_with(60, viewer=member)
    if who == "member":
        client.force_login(member)
    monkeypatch.setattr(public_cache, "VISITOR_SECONDS", 0)  # the view's own cost, each time
    client.get(small)

    assert _queries(client, small) == _queries(client, large)
    assert _queries(client, small + "?tag=esim&filter=open&sort=votes") == _queries(
        client, large + "?tag=esim&filter=open&sort=votes"
    )


def _forums(count: int) -> None:
    for _ in range(count):
        forum = ForumFactory()
        make_answer(question=make_question(forum=forum))
        make_question(forum=forum)


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_home_page_costs_the_same_with_2_or_20_forums(client, member, who):
    if who == "member":
        client.force_login(member)
    home = reverse("community:home")
    _forums(2)
    client.get(home)
    with_two = _queries(client, home)

    _forums(18)

    assert _queries(client, home) == with_two


def test_visitors_get_fresh_answers_after_a_new_answer_kudos_or_accept(client, member):
    # Given a visitor has seen (and so cached) the thread
    question = make_question(author=member)
    first = make_answer(question=question, body="Restart the router first.")
    client.get(question.get_absolute_url())

    # When it gets a new answer, kudos on an answer and an accepted answer
    make_answer(question=question, body="Check the DSL cable as well.")
    services.vote_cast(user=UserFactory(), post=first)
    services.answer_accept(answer=first, by=member)

    # Then the visitor sees all of it at once
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Check the DSL cable as well." in html
    assert "Accepted answer" in html
    assert "Kudos: 1" in html.split("Restart the router first.")[1]


def test_visitors_see_an_edited_question_at_once(client, member):
    question = make_question(author=member, title="Router blinks red all day")
    client.get(question.get_absolute_url())

    services.question_edit(
        question=question, by=member, title="Router blinks green now", body=question.body
    )

    html = client.get(question.get_absolute_url()).content.decode()
    assert '<h1 id="question-title">Router blinks green now</h1>' in html


def test_visitors_reading_a_cached_thread_do_not_load_its_answers(client):
    question = make_question()
    for _ in range(30):
        make_answer(question=question)
    client.get(question.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        client.get(question.get_absolute_url())

    assert not [q for q in queries.captured_queries if 'FROM "community_answer"' in q["sql"]]
