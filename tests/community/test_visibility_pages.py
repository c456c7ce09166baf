"""Pages show visible posts to everyone; a post that is not public only to its author
(with a notice) and to moderators (marked)."""

import pytest
from django.test import Client
from django.urls import reverse

from community import search, services, visibility
from community.models import Answer, Visibility
from moderation.models import TrustLevel
from search import engine
from tests.factories import make_answer, make_question
from tests.moderation.helpers import set_limits

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

HELD_BODY = "Have a look at https://example.com/fix, it helped me."


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def question(other_member, forum):
    return make_question(author=other_member, forum=forum, title="Router loses Wi-Fi every night")


@pytest.fixture
def held(question, member):
    """An answer by a member in probation, with a link: held for review."""
    answer = make_answer(question=question, author=member, body=HELD_BODY)
    assert answer.visibility == Visibility.PENDING
    return answer


def test_a_held_answer_is_not_shown_to_visitors_nor_other_members(client, question, held):
    url = question.get_absolute_url()

    assert "example.com/fix" not in _html(client, url)
    assert "example.com/fix" not in _html(_client(question.author), url)
    assert _html(client, reverse("community:answer", args=[held.pk]), status=404)


def test_the_author_sees_their_held_answer_with_a_notice(question, held, member):
    html = _html(_client(member), question.get_absolute_url())

    assert "example.com/fix" in html
    assert "Waiting for review" in html


def test_moderators_see_a_post_that_is_not_public_marked(question, held, moderator):
    html = _html(_client(moderator), question.get_absolute_url())

    assert "example.com/fix" in html
    assert "post-unlisted" in html and "Waiting for review" in html


def test_a_held_answer_redirects_its_author_to_the_thread_with_a_message(member, question):
    response = _client(member).post(
        reverse("community:answer_create", args=[question.pk]), {"body": HELD_BODY}, follow=True
    )

    html = response.content.decode()
    assert "A moderator reviews your post before it is public." in html
    assert "Waiting for review" in html


def test_a_hidden_question_is_not_found_except_by_its_author_and_moderators(
    client, question, member, moderator
):
    visibility.post_visibility_set(post=question, visibility=Visibility.HIDDEN, note="Spam?")
    url = question.get_absolute_url()

    _html(client, url, status=404)
    _html(_client(member), url, status=404)
    _html(client, reverse("community:question_history", args=[question.pk]), status=404)
    assert "Hidden pending review: Spam?" in _html(_client(question.author), url)
    assert "Hidden pending review: Spam?" in _html(_client(moderator), url)


def test_the_author_of_a_removed_answer_is_told_why(question, other_member, member):
    answer = make_answer(question=question, author=member, body="Buy cheap phones at my shop!")
    visibility.post_visibility_set(post=answer, visibility=Visibility.REMOVED, note="Advertising")

    assert "Removed by a moderator: Advertising" in _html(
        _client(member), question.get_absolute_url()
    )
    assert "cheap phones" not in _html(_client(other_member), question.get_absolute_url())


def test_everyone_sees_that_a_moderator_edited_a_post(client, question, moderator):
    answer = make_answer(question=question, body="Call me on 0170 1234567, I can help.")

    visibility.post_moderator_edit(
        post=answer, by=moderator, body="Call me, I can help.", note="Phone number removed"
    )

    html = _html(client, question.get_absolute_url())
    assert "Edited by a moderator: Phone number removed" in html
    assert "1234567" not in html


def test_visitors_never_get_a_hidden_answer_from_their_cached_thread(client, question):
    answer = make_answer(question=question, body="Unplug it for ten seconds, then retry.")
    url = question.get_absolute_url()
    assert "Unplug it" in _html(client, url)  # now cached for visitors

    visibility.post_visibility_set(post=answer, visibility=Visibility.HIDDEN, note="Flagged")

    assert "Unplug it" not in _html(client, url)
    visibility.post_visibility_set(post=answer, visibility=Visibility.VISIBLE)
    assert "Unplug it" in _html(client, url)


def test_what_the_author_sees_never_reaches_the_visitors_cache(client, question, held, member):
    url = question.get_absolute_url()
    _html(_client(member), url)
    _html(_client(question.author), url)

    assert "example.com/fix" not in _html(client, url)


def test_a_hidden_comment_is_shown_to_its_author_only(question, member, other_member):
    answer = make_answer(question=question)
    comment = services.comment_create(answer=answer, author=member, body="Rude words here")
    visibility.post_visibility_set(post=comment, visibility=Visibility.HIDDEN, note="Rude")
    url = question.get_absolute_url()

    assert "Hidden pending review: Rude" in _html(_client(member), url)
    assert "Rude words here" not in _html(_client(other_member), url)
    assert "Rude words here" not in _html(Client(), url)


def test_lists_search_and_profiles_leave_hidden_questions_out(client, question, forum):
    make_answer(question=question, author=question.author)
    visibility.post_visibility_set(post=question, visibility=Visibility.HIDDEN, note="Spam")

    assert question.title not in _html(client, reverse("community:home"))
    assert question.title not in _html(client, forum.get_absolute_url())
    assert question.title not in _html(client, reverse("community:search") + "?q=router")
    profile = reverse("accounts:profile", args=[question.author.pk])
    assert question.title not in _html(client, profile)
    assert question.title not in _html(client, profile + "?show=answers")
    assert search.questions_in_order(search.ranked_ids(engine.parse("router"))) == []
    assert search.similar_questions("Router loses connection") == []


def test_a_locked_thread_says_so_and_offers_no_answer_form(question, member):
    make_answer(question=question)
    visibility.question_lock(question=question, locked=True)

    html = _html(_client(member), question.get_absolute_url())
    assert "This thread is locked" in html
    assert 'id="answer-form-heading"' not in html
    assert "comment-form" not in html

    response = _client(member).post(
        reverse("community:answer_create", args=[question.pk]), {"body": "One more idea here."}
    )
    assert response.status_code == 403
    assert "locked" in response.content.decode()
    assert not Answer.objects.filter(author=member).exists()


@pytest.mark.usefixtures("rate_limits")
def test_too_many_posts_get_a_429_page_that_says_when_to_try_again(question, member):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    make_answer(question=question, author=member)

    response = _client(member).post(
        reverse("community:answer_create", args=[question.pk]), {"body": "Another idea to try."}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "1 time an hour" in response.content.decode()


def test_members_get_a_flag_link_on_answers_and_comments(question, member):
    answer = make_answer(question=question)
    comment = services.comment_create(answer=answer, author=answer.author, body="More details")

    html = _html(_client(member), question.get_absolute_url())

    assert f'id="flag-answer-{answer.pk}"' in html
    assert f'id="flag-comment-{comment.pk}"' in html


def test_visitors_get_no_flag_links(client, question):
    make_answer(question=question)

    assert 'class="flag"' not in _html(client, question.get_absolute_url())
