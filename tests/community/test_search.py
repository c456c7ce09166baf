"""PostgreSQL full-text search through the search page and the similar-questions endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Language
from tests.factories import ForumFactory, make_question

pytestmark = pytest.mark.django_db

SEARCH = reverse("community:search")


def _results(client, query: str, **params) -> list[str]:
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return [question.title for question in response.context["page"].object_list]


def test_a_german_question_is_found_by_an_inflected_german_word(client, forum):
    make_question(
        forum=forum,
        title="Mein Router verbindet sich nicht",
        body="Seit dem Update blinkt die Internet-Lampe rot.",
        language=Language.GERMAN,
    )

    assert _results(client, "Routers") == ["Mein Router verbindet sich nicht"]


def test_a_german_question_is_found_by_the_plural_of_a_word_in_its_body(client, forum):
    make_question(
        forum=forum,
        title="Internet fällt abends aus",
        body="Keine Verbindung zum Internet seit gestern Abend.",
        language=Language.GERMAN,
    )

    assert _results(client, "Verbindungen") == ["Internet fällt abends aus"]


def test_an_english_question_is_found_by_another_form_of_the_word(client, forum):
    make_question(
        forum=forum,
        title="Connection issues with my new modem",
        body="The modem drops out every few minutes.",
        language=Language.ENGLISH,
    )

    assert _results(client, "connecting") == ["Connection issues with my new modem"]


def test_a_title_match_ranks_above_a_body_match(client, forum):
    make_question(
        forum=forum, title="Firmware update failed halfway", body="The router no longer starts."
    )
    make_question(
        forum=forum,
        title="Router restarts every night",
        body="It started after the firmware update last week.",
    )

    assert _results(client, "firmware") == [
        "Firmware update failed halfway",
        "Router restarts every night",
    ]


def test_snippets_mark_the_match_and_escape_the_post_text(client, forum):
    make_question(
        forum=forum,
        title="Modem shows <b>error</b> 651",
        body="The screen says <script>alert(1)</script> & error 651 after the modem boots.",
    )

    page = client.get(SEARCH, {"q": "modem"}).content.decode()

    assert "Modem shows &lt;b&gt;error&lt;/b&gt; 651" in page.replace("<mark>", "").replace(
        "</mark>", ""
    )
    assert "<mark>Modem</mark>" in page
    assert "<mark>modem</mark>" in page
    assert "<script>alert(1)" not in page
    assert "&amp; error 651" in page


def test_the_result_count_is_shown(client, forum):
    for n in range(3):
        make_question(forum=forum, title=f"Voicemail PIN forgotten {n}")

    page = client.get(SEARCH, {"q": "voicemail"}).content.decode()

    assert "3 questions found" in page


def test_an_empty_query_shows_a_hint(client):
    response = client.get(SEARCH, {"q": "   "})

    assert response.status_code == 200
    assert "Type a few words that describe your problem" in response.content.decode()


def test_no_results_show_a_friendly_message_and_a_link_to_ask(client, forum):
    make_question(forum=forum)

    page = client.get(SEARCH, {"q": "Quantencomputer"}).content.decode()

    assert "Nothing found for “Quantencomputer”" in page
    assert f'href="{reverse("community:ask")}"' in page


def test_the_forum_filter_limits_the_results(client, forum):
    other = ForumFactory(slug="festnetz")
    make_question(forum=forum, title="Roaming costs in Switzerland")
    make_question(forum=other, title="Roaming on the landline?")

    assert _results(client, "roaming", forum="festnetz") == ["Roaming on the landline?"]


def test_odd_search_input_does_not_fail(client, forum):
    make_question(forum=forum)

    for query in ['"unclosed', "-", "a & | ! :*", "or or", "x" * 1000, "<>()'", "rou\x00ter"]:
        assert client.get(SEARCH, {"q": query, "page": "junk"}).status_code == 200
        assert client.get(reverse("community:similar"), {"title": query}).status_code == 200


def test_similar_questions_are_suggested_for_a_partial_title(client, forum):
    question = make_question(
        forum=forum, title="Mein Router verbindet sich nicht", language=Language.GERMAN
    )
    make_question(
        forum=forum,
        title="Rechnung doppelt abgebucht",
        body="Der Betrag wurde diesen Monat zweimal eingezogen.",
        language=Language.GERMAN,
    )

    response = client.get(reverse("community:similar"), {"title": "Router Probl"})

    page = response.content.decode()
    assert question.get_absolute_url() in page
    assert "Rechnung" not in page
    assert "<html" not in page


def test_similar_questions_for_a_short_title_are_empty(client, forum):
    make_question(forum=forum)

    response = client.get(reverse("community:similar"), {"title": "a"})

    assert response.content.decode().strip() == ""


def test_the_search_page_costs_the_same_number_of_queries_for_2_or_30_results(client, forum):
    for n in range(2):
        make_question(forum=forum, title=f"Tethering does not work {n}")
    for n in range(30):
        make_question(forum=forum, title=f"Hotspot password lost {n}", tags=["hotspot"])
    for query in ("tethering", "hotspot"):  # logged once a day: the next ones write nothing
        client.get(SEARCH, {"q": query})

    counts = []
    for query in ("tethering", "hotspot"):
        with CaptureQueriesContext(connection) as context:
            client.get(SEARCH, {"q": query})
        counts.append(len(context.captured_queries))

    assert counts[0] == counts[1]
