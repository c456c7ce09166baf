"""The tag index (/tags/): tags of visible questions, most used first, filtered."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import visibility
from community.models import Tag, Visibility
from tests.factories import make_question

pytestmark = pytest.mark.django_db

URL = reverse("community:tags")


def _tags(response) -> list[tuple[str, int]]:
    assert response.status_code == 200
    return [(tag.name, tag.question_count) for tag in response.context["page"]]


@pytest.fixture
def tagged(forum):
    make_question(forum=forum, tags=["router", "wlan"])
    make_question(forum=forum, tags=["router", "Fibre"])
    make_question(forum=forum, tags=["router"])
    hidden = make_question(forum=forum, tags=["wlan", "spam-only"])
    visibility.post_visibility_set(post=hidden, visibility=Visibility.HIDDEN, note="Spam")


def test_tags_are_listed_most_used_first_with_their_visible_questions(client, tagged):
    assert _tags(client.get(URL)) == [("router", 3), ("fibre", 1), ("wlan", 1)]


def test_a_tag_only_on_hidden_questions_or_on_none_is_not_listed(client, tagged):
    Tag.objects.create(name="unused")

    names = [name for name, _ in _tags(client.get(URL))]

    assert "spam-only" not in names
    assert "unused" not in names


def test_each_tag_links_to_its_page(client, tagged):
    html = client.get(URL).content.decode()

    assert f'href="{reverse("community:tag", args=["router"])}">router</a>' in html
    assert "3 questions" in html


@pytest.mark.parametrize(
    ("q", "expected"), [("ROU", ["router"]), ("iB", ["fibre"]), ("r", ["router", "fibre"])]
)
def test_the_filter_matches_part_of_a_name_in_any_case(client, tagged, q, expected):
    assert [name for name, _ in _tags(client.get(URL, {"q": q}))] == expected


@pytest.mark.parametrize("q", ["%", "_", "a\x00b", "' OR 1=1 --", "\\"])
def test_an_odd_filter_finds_nothing_and_does_not_fail(client, tagged, q):
    assert _tags(client.get(URL, {"q": q})) == []


def test_an_overlong_filter_is_a_400_with_its_error(client, tagged):
    response = client.get(URL, {"q": "x" * 41})

    assert response.status_code == 400
    assert "at most 40 characters" in response.content.decode()


@pytest.mark.parametrize("page", ["junk", "0", "-1", "99999", "1e9"])
def test_a_junk_page_number_gives_a_page_not_an_error(client, tagged, page):
    assert ("router", 3) in _tags(client.get(URL, {"page": page}))


def test_many_tags_are_paged(client, forum):
    for n in range(0, 70, 5):
        make_question(forum=forum, tags=[f"t{n + i:02d}" for i in range(5)])

    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert len(_tags(first)) == 60
    assert len(_tags(second)) == 10
    assert 'rel="next"' in first.content.decode()


def test_the_home_page_links_to_the_tag_index(client, forum):
    assert f'href="{URL}"' in client.get(reverse("community:home")).content.decode()


def test_the_page_costs_the_same_queries_with_3_or_60_tags(client, tagged, forum):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    client.get(URL)  # warm-up: site-wide cached reads (the brand)
    few = count()
    for n in range(0, 60, 5):
        make_question(forum=forum, tags=[f"t{n + i:02d}" for i in range(5)])

    assert count() == few
