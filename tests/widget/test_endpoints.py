"""The JSON the widget reads: a topic's most helpful solved answers with the widget's words,
answers while typing, one answer with the proof of its view, all in the language asked
for, kept a while in the cache; none of it sets a cookie."""

import pytest

from community import services as community
from community.models import Visibility
from community.visibility import thread_changed
from tests.factories import ForumFactory, UserFactory, make_answer, make_question
from tests.widget.conftest import HOME, solved_question
from widget import views

pytestmark = pytest.mark.django_db

TOP = "/widget/v1/top/"
SEARCH = "/widget/v1/search/"


def question_url(question) -> str:
    return f"/widget/v1/questions/{question.pk}/"


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


# --- Top solved ---------------------------------------------------------------------------


def test_the_top_lists_the_topics_solved_questions_with_the_most_kudos_first(client, forum):
    modest = solved_question(forum, title="Router loses Wi-Fi every night")
    liked = solved_question(forum, title="Voicemail cannot be switched off")
    community.vote_cast(user=UserFactory(), post=liked)
    make_answer(question=make_question(forum=forum, title="An open question about roaming"))
    solved_question(ForumFactory(), title="A question in another topic entirely")

    response = client.get(TOP, {"topic": forum.slug})

    assert response.status_code == 200
    assert titles(response) == [liked.title, modest.title]
    first = response.json()["results"][0]
    assert first == {
        "id": liked.pk,
        "title": liked.title,
        "topic": forum.name,
        "solved": True,
        "official": False,
        "answers": 1,
        "excerpt": "Hold the reset button for ten seconds.",
        "url": liked.get_absolute_url(),
    }
    assert response.json()["topic"] == {
        "slug": forum.slug,
        "name": forum.name,
        "url": forum.get_absolute_url(),
    }
    assert response.json()["community_url"] == forum.get_absolute_url()


def test_the_top_brings_the_widgets_words_in_english_by_default(client, forum):
    body = client.get(TOP, {"topic": forum.slug}).json()

    assert body["language"] == "en"
    assert body["strings"]["search_label"] == "Search the community"
    assert body["strings"]["top_heading"] == f"Most helpful answers about {forum.name}"


def test_the_widget_speaks_german_when_the_page_is_german(client, forum):
    response = client.get(TOP, {"topic": forum.slug, "lang": "de-DE"})

    assert response["Content-Language"] == "de"
    assert response.json()["strings"]["solved_button"] == "Das hat mein Problem gelöst"
    assert response.json()["strings"]["top_heading"] == f"Hilfreichste Antworten zu {forum.name}"


def test_without_a_language_the_browsers_is_used(client, forum):
    response = client.get(TOP, {"topic": forum.slug}, HTTP_ACCEPT_LANGUAGE="de")

    assert response.json()["language"] == "de"


def test_a_language_the_site_does_not_speak_falls_back_to_the_browsers(client, forum):
    response = client.get(TOP, {"topic": forum.slug, "lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["language"] == "en"


def test_questions_in_the_widgets_language_come_first(client, forum):
    english = solved_question(forum, title="Router loses Wi-Fi every night")
    german = solved_question(forum, title="Router verliert jede Nacht das WLAN")
    german.language = "de"
    german.save(update_fields=["language"])
    community.vote_cast(user=UserFactory(), post=english)

    assert titles(client.get(TOP, {"topic": forum.slug, "lang": "de"}))[0] == german.title
    assert titles(client.get(TOP, {"topic": forum.slug, "lang": "en"}))[0] == english.title


def test_without_a_topic_the_whole_community_is_shown(client, forum):
    here = solved_question(forum, title="Router loses Wi-Fi every night")
    elsewhere = solved_question(ForumFactory(), title="Voicemail cannot be switched off")

    body = client.get(TOP).json()

    assert {item["id"] for item in body["results"]} == {here.pk, elsewhere.pk}
    assert body["topic"] is None
    assert body["strings"]["top_heading"] == "Most helpful answers"


def test_an_unknown_topic_is_a_json_404(client):
    response = client.get(TOP, {"topic": "<nowhere>"})

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no topic “<nowhere>”.", "code": "not_found"}


def test_the_top_is_kept_a_while_and_may_be_cached_by_browsers(
    client, forum, django_assert_num_queries
):
    solved_question(forum, title="Router loses Wi-Fi every night")
    client.get(TOP, {"topic": forum.slug})

    with django_assert_num_queries(2):  # the topic, and which kept ones are still visible
        response = client.get(TOP, {"topic": forum.slug})

    assert len(response.json()["results"]) == 1
    assert response["Cache-Control"] == f"public, max-age={views.PUBLIC_SECONDS}"


# --- Search ---------------------------------------------------------------------------


def test_answers_appear_as_the_last_word_is_typed(client, forum):
    router = solved_question(forum, title="Router loses Wi-Fi every night")
    solved_question(
        forum, title="Voicemail cannot be switched off", body="It answers every call at once."
    )

    response = client.get(SEARCH, {"q": "wi-fi rou"})

    assert response.status_code == 200
    assert titles(response) == [router.title]
    assert response.json()["message"] == "1 answer found."
    assert response.json()["query"] == "wi-fi rou"


def test_search_leaves_out_unanswered_and_hidden_questions(client, forum, moderator):
    answered = make_question(forum=forum, title="Router loses Wi-Fi at night")
    make_answer(question=answered)
    make_question(forum=forum, title="Router loses Wi-Fi in the morning")
    hidden = solved_question(forum, title="Router loses Wi-Fi in the evening")
    hidden.visibility = Visibility.HIDDEN
    hidden.save(update_fields=["visibility"])

    response = client.get(SEARCH, {"q": "router wi-fi"})

    assert titles(response) == [answered.title]
    assert response.json()["results"][0]["solved"] is False
    assert response.json()["results"][0]["excerpt"] == ""


def test_search_keeps_to_the_topic_when_one_is_given(client, forum):
    here = solved_question(forum, title="Router loses Wi-Fi every night")
    solved_question(ForumFactory(), title="Router loses Wi-Fi every morning")

    assert titles(client.get(SEARCH, {"q": "router", "topic": forum.slug})) == [here.title]


def test_nothing_found_is_said_in_the_widgets_language(client, forum):
    response = client.get(SEARCH, {"q": "zebra", "lang": "de"})

    assert response.json()["results"] == []
    assert response.json()["message"] == (
        "Keine Antworten zu „zebra“ gefunden. Versuch es mit anderen Wörtern."
    )


def test_an_empty_or_endless_query_is_no_error(client):
    empty = client.get(SEARCH, {"q": "   "})
    endless = client.get(SEARCH, {"q": "router " * 200})

    assert empty.status_code == endless.status_code == 200
    assert empty.json() == {"query": "", "results": [], "message": ""}
    assert len(endless.json()["query"]) == 200


def test_a_nul_byte_in_the_query_is_dropped(client, forum):
    solved_question(forum, title="Router loses Wi-Fi every night")

    response = client.get(SEARCH, {"q": "rou\x00ter"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_search_results_are_kept_under_the_query_topic_and_language(
    client, forum, django_assert_num_queries
):
    solved_question(forum, title="Router loses Wi-Fi every night")
    client.get(SEARCH, {"q": "Router  wi-fi"})

    with django_assert_num_queries(1):  # which kept ones are still visible
        again = client.get(SEARCH, {"q": "router wi-fi"})

    assert len(again.json()["results"]) == 1


def test_a_question_taken_down_leaves_the_kept_top_and_search_at_once(client, forum):
    question = solved_question(forum, title="My phone number is 0171 1234567")
    assert titles(client.get(TOP)) == titles(client.get(SEARCH, {"q": "phone"})) == [question.title]

    question.visibility = Visibility.HIDDEN
    question.save(update_fields=["visibility"])

    assert titles(client.get(TOP)) == titles(client.get(SEARCH, {"q": "phone"})) == []


# --- One answer -----------------------------------------------------------------------


def test_an_answer_shows_the_question_and_its_accepted_answer_with_a_proof(client, forum):
    question = solved_question(
        forum, title="Router loses Wi-Fi every night", answer="**Reset** it."
    )
    make_answer(question=question, body="Buy a new one, honestly.")

    response = client.get(question_url(question), **HOME)

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == question.title
    assert body["url"] == question.get_absolute_url()
    assert body["answer"]["html"] == "<p><strong>Reset</strong> it.</p>\n"
    assert body["answer"]["accepted"] is True
    assert body["answer"]["url"] == question.accepted_answer.get_absolute_url()
    assert body["proof"]
    assert response["Cache-Control"] == "private, no-store"


def test_without_an_accepted_answer_the_most_helpful_one_is_shown(client, forum):
    question = make_question(forum=forum, title="Router loses Wi-Fi every night")
    make_answer(question=question, body="Try turning it off and on again.")
    helpful = make_answer(question=question, body="Update the firmware first.")
    community.vote_cast(user=UserFactory(), post=helpful)

    body = client.get(question_url(question)).json()

    assert body["answer"]["id"] == helpful.pk
    assert body["answer"]["accepted"] is False


def test_a_hidden_accepted_answer_gives_way_to_a_visible_one(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi every night")
    other = make_answer(question=question, body="Update the firmware first.")
    hidden = question.accepted_answer
    hidden.visibility = Visibility.HIDDEN
    hidden.save(update_fields=["visibility"])
    thread_changed(question.pk)

    assert client.get(question_url(question)).json()["answer"]["id"] == other.pk


def test_an_edited_answer_shows_at_once(client, forum):
    question = solved_question(forum, title="Router loses Wi-Fi every night")
    client.get(question_url(question))

    community.answer_edit(
        answer=question.accepted_answer,
        by=question.accepted_answer.author,
        body="Hold the reset button for twenty seconds.",
    )

    html = client.get(question_url(question)).json()["answer"]["html"]
    assert "twenty seconds" in html


def test_an_answer_is_read_from_the_cache_with_one_query(client, forum, django_assert_num_queries):
    question = solved_question(forum, title="Router loses Wi-Fi every night")
    client.get(question_url(question))

    with django_assert_num_queries(1):  # its version
        response = client.get(question_url(question))

    assert response.status_code == 200


def test_a_question_without_answer_hidden_or_missing_is_a_json_404(client, forum):
    unanswered = make_question(forum=forum, title="Router loses Wi-Fi every night")
    hidden = solved_question(forum, title="Router loses Wi-Fi every morning")
    hidden.visibility = Visibility.HIDDEN
    hidden.save(update_fields=["visibility"])

    for url in (
        question_url(unanswered),
        question_url(hidden),
        "/widget/v1/questions/999999/",
        "/widget/v1/questions/99999999999999999999999/",  # beyond any id
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


# --- What every endpoint shares ----------------------------------------------------------


def test_no_endpoint_sets_a_cookie(client, solved):
    responses = [
        client.get(TOP),
        client.get(SEARCH, {"q": "router"}),
        client.get(question_url(solved)),
        client.post(
            f"{question_url(solved)}solved/", {"proof": "x"}, content_type="application/json"
        ),
        client.get("/widget.js"),
    ]

    for response in responses:
        assert not response.cookies, response.request["PATH_INFO"]
        assert "Set-Cookie" not in response


def test_a_method_an_endpoint_does_not_answer_is_a_json_405(client):
    response = client.delete(TOP)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
