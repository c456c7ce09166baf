"""A thread for members with nothing of theirs in it is kept once for all of them
(community_tags.kept_for_members), each served it with their own CSRF token; a member
whose kudos, follow, flag, post or rights show in the thread gets theirs rendered."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services
from community.models import Vote
from community.templatetags.community_tags import CSRF_STAND_IN
from moderation.flags import services as flags
from moderation.models import FlagReason
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(forum, member):
    question = make_question(author=member, forum=forum, title="Router blinks orange at night")
    answer = make_answer(question=question, body="Hold the reset button for ten seconds.")
    services.comment_create(answer=answer, author=member, body="Which button is it?")
    return question


def _reader(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user or UserFactory())
    return client


def _page(client: Client, question) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _token(page: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1  # the request's one token in every form
    return tokens.pop()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _answer_kudos_form(page: str) -> str:
    answer = page.split('<article id="answer-')[1]
    return re.search(r'<div class="kudos">.*?</div>', answer, re.S)[0]


def test_members_share_the_kept_thread_each_with_their_own_working_token(thread):
    first, second = _reader(), _reader()
    kept, _ = _page(first, thread)
    second.get(reverse("community:home"))  # their roles, consent, bell and day's signals kept

    page, queries = _page(second, thread)

    answer = thread.answers.get()
    assert CSRF_STAND_IN not in page
    assert _token(page) != _token(kept)
    # The member, the question's version with their states: nothing of the thread read.
    assert queries == 2
    assert _main(page).replace(_token(page), "") == _main(kept).replace(_token(kept), "")
    given = second.post(
        reverse("community:answer_kudos", args=[answer.pk]),
        {"csrfmiddlewaretoken": _token(page)},
    )
    assert given.status_code == 302
    assert Vote.objects.filter(answer=answer).count() == 1


@pytest.mark.parametrize("doing", ["kudos", "follow", "flag", "comment", "solved_too"])
def test_a_member_sees_their_own_doing_in_a_thread_others_read_from_the_cache(thread, doing):
    me = UserFactory()
    mine, other = _reader(me), _reader()
    _page(other, thread)  # the copy kept for members
    answer = thread.answers.get()
    if doing == "kudos":
        services.vote_cast(user=me, post=answer)
    elif doing == "follow":
        services.follow_start(user=me, target=thread)
    elif doing == "flag":
        flags.flag_create(flagger=me, target=answer, reason=FlagReason.SPAM)
    elif doing == "comment":
        services.comment_create(answer=answer, author=me, body="Same here, since Monday.")
    else:
        services.solved_too_mark(question=thread, user=me)

    mine_page, _ = _page(mine, thread)
    other_page, _ = _page(other, thread)

    shown = {
        "kudos": ("Withdraw kudos", _answer_kudos_form),
        "follow": ("Unfollow", lambda page: page),
        "flag": ("You flagged this", lambda page: page),
        "comment": ("Same here, since Monday.", lambda page: page),
        "solved_too": ("You said this solved your problem too", lambda page: page),
    }[doing]
    text, part = shown
    assert text in part(mine_page)
    if doing == "comment":
        assert text in other_page  # a change to the thread reaches every reader at once
    else:
        assert text not in part(other_page)


def test_the_asker_and_moderators_get_their_buttons_in_a_kept_thread(thread, member, moderator):
    _page(_reader(), thread)  # the copy kept for members
    asker, staff = _reader(member), _reader(moderator)

    asked, _ = _page(asker, thread)
    moderated, _ = _page(staff, thread)

    assert "Accept this answer" in asked and "Edit question" in asked
    assert "Edit answer" in moderated and "Accept this answer" in moderated


def test_a_new_answer_reaches_a_member_reading_the_kept_thread_at_once(thread):
    reader = _reader()
    _page(reader, thread)

    make_answer(question=thread, body="Mine came back after a firmware update.")
    page, _ = _page(reader, thread)

    assert "Mine came back after a firmware update." in page
