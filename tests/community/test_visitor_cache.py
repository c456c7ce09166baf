"""Whole pages for visitors from the cache (core.public_cache): fresh where they must be,
never a member's page, never one visitor's token in another's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import visibility
from community.models import Tag, Visibility
from search.models import SearchLog
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(forum):
    question = make_question(forum=forum, title="Router blinks orange at night")
    make_answer(question=question, body="Hold the reset button for ten seconds.")
    return question


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("page", ["thread", "home", "forum", "tag"])
def test_a_visitor_gets_a_page_a_cdn_may_keep_with_nobodys_token_in_it(client, thread, page):
    url = {
        "thread": thread.get_absolute_url(),
        "home": reverse("community:home"),
        "forum": thread.forum.get_absolute_url(),
        "tag": reverse("community:tag", args=["router"]),
    }[page]
    thread.tags.set([Tag.objects.create(name="router")])

    first = client.get(url)
    again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies and not again.cookies
    assert again["Cache-Control"] == "public, max-age=30"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in again["Vary"].split(",")}
    assert again["ETag"] == first["ETag"]


def test_a_kept_thread_costs_one_query_and_a_known_one_is_not_sent_again(client, thread):
    url = thread.get_absolute_url()
    first, _ = _get(client, url)

    again, queries = _get(client, url)
    unchanged, _ = _get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert queries == 1  # the thread's version
    assert again.content == first.content
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_a_new_answer_shows_to_visitors_at_once(client, thread):
    url = thread.get_absolute_url()
    client.get(url)

    make_answer(question=thread, body="Or ask your provider to reset the line remotely.")

    assert "reset the line remotely" in client.get(url).content.decode()


def test_a_hidden_thread_is_gone_for_visitors_at_once(client, thread):
    url = thread.get_absolute_url()
    client.get(url)

    visibility.post_visibility_set(post=thread, visibility=Visibility.HIDDEN, note="Spam")

    assert client.get(url).status_code == 404


def test_each_language_has_its_page(client, thread):
    url = thread.get_absolute_url()

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert 'lang="en"' in english
    assert 'lang="de"' in german


def test_a_member_gets_their_own_page_never_kept_by_others(client, thread, member):
    url = thread.get_absolute_url()
    client.get(url)  # kept for visitors
    client.force_login(member)

    page = client.get(url)

    assert "private" in page["Cache-Control"]
    assert "csrfmiddlewaretoken" in page.content.decode()  # the answer form, theirs


def test_a_visitor_with_a_message_gets_the_page_rendered(client, thread):
    url = thread.get_absolute_url()
    client.get(url)
    form = reverse("community:solved_too", args=[thread.pk])
    proof = client.get(form, HTTP_HX_REQUEST="true").content.decode()
    token = proof.split('name="proof" value="')[1].split('"')[0]

    client.post(form, {"proof": token})  # refused (too fast) or counted: a message either way
    page = client.get(url)

    assert "Cache-Control" not in page or "public" not in page["Cache-Control"]
    assert 'class="message' in page.content.decode()


def test_a_visitors_thread_loads_the_solved_too_form_with_their_proof(client, thread):
    page = client.get(thread.get_absolute_url()).content.decode()
    url = reverse("community:solved_too", args=[thread.pk])

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    without_javascript = client.get(url).content.decode()

    assert f'hx-get="{url}"' in page and 'name="proof"' not in page
    assert 'name="proof"' in fragment and "<html" not in fragment
    assert 'name="proof"' in without_javascript and "<html" in without_javascript


def test_a_kept_search_page_still_counts_each_search(client, thread):
    client.get("/search/", {"q": "router"})

    again = client.get("/search/?q=router", REMOTE_ADDR="192.0.2.7")

    assert again.status_code == 200 and "public" in again["Cache-Control"]
    assert SearchLog.objects.get(query="router").searches == 2  # another network


def test_a_parameter_the_page_does_not_read_is_rendered_not_kept(client, thread):
    """`?x=1`, `?x=2`... would each fill the cache with a copy of the same page."""
    url = thread.get_absolute_url()

    busted = client.get(url, {"x": "1"})
    long = client.get(url, {"page": "1" * 400})
    kept = client.get(url, {"page": "1"})

    assert busted.status_code == long.status_code == 200
    assert "public" not in busted.get("Cache-Control", "")
    assert "public" not in long.get("Cache-Control", "")
    assert "public" in kept["Cache-Control"]
