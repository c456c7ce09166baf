"""Live updates of an open thread (community.live, GET /q/<pk>/live/): a 304 from the
cache while nothing changed, the figures the page updates in place once it did."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community import services
from community.models import Visibility
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(forum, member):
    question = make_question(author=member, forum=forum, title="Router blinks orange at night")
    make_answer(question=question, body="Hold the reset button for ten seconds.")
    question.refresh_from_db()
    return question


def _live(client, question, etag="", **params):
    url = reverse("community:thread_live", args=[question.pk])
    return client.get(url, params, HTTP_IF_NONE_MATCH=etag)


def _time_passes(question) -> None:
    """What LIVE_SECONDS do: the kept version is read again."""
    cache.delete(f"thread-live:{question.pk}")


def test_a_waiting_page_costs_one_cache_read_and_gets_a_304(
    client, thread, django_assert_num_queries
):
    first = _live(client, thread)
    assert first.status_code == 200
    assert first["ETag"] == f'"{thread.version}"'
    assert "no-cache" in first["Cache-Control"]

    with django_assert_num_queries(0):
        again = _live(client, thread, etag=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_a_new_answer_and_kudos_reach_an_open_page(client, thread):
    [answer] = thread.answers.all()
    etag = f'"{thread.version}"'
    services.vote_cast(user=UserFactory(), post=answer)
    services.vote_cast(user=UserFactory(), post=answer)
    make_answer(question=thread, body="Mine came back after a firmware update.")
    _time_passes(thread)

    response = _live(client, thread, etag=etag, answers=f"{answer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["answer_count"] == 2
    assert body["kudos"] == {"question": "Kudos: 0", "answers": {str(answer.pk): "Kudos: 2"}}
    assert response["ETag"] == f'"{body["version"]}"' != etag


def test_only_public_answers_of_the_thread_are_told(client, thread, forum):
    [answer] = thread.answers.all()
    hidden = make_answer(question=thread, body="Call me on 0171 1234567.")
    hidden.visibility = Visibility.HIDDEN
    hidden.save(update_fields=["visibility"])
    elsewhere = make_answer(question=make_question(forum=forum), body="Another thread.")

    ids = f"{answer.pk},{hidden.pk},{elsewhere.pk},99999999999999999999"
    body = _live(client, thread, answers=ids).json()

    assert set(body["kudos"]["answers"]) == {str(answer.pk)}


@pytest.mark.parametrize("answers", ["1,x", "-1", "1;2", "\u0661", ",".join(["1"] * 101)])
def test_a_malformed_list_of_answers_is_a_400_with_a_reason(client, thread, answers):
    response = _live(client, thread, answers=answers)

    assert response.status_code == 400
    assert "answers" in response.json()["detail"]


def test_a_thread_that_is_not_public_has_no_live_updates(client, thread, member):
    thread.visibility = Visibility.PENDING
    thread.save(update_fields=["visibility"])
    _time_passes(thread)
    client.force_login(member)  # not even for its author: their page reloads

    assert _live(client, thread).status_code == 404
    missing = client.get(reverse("community:thread_live", args=[thread.pk + 1000]))
    assert missing.status_code == 404
    assert missing.json()["detail"]


def test_the_thread_page_tells_the_script_its_version(client, thread):
    page = client.get(thread.get_absolute_url()).content.decode()

    assert f'data-live-version="{thread.version}"' in page
    assert reverse("community:thread_live", args=[thread.pk]) in page
