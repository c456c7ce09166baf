"""One way to page: pages forgive a bad number, the API answers 404 for it."""

import pytest
from django.core.paginator import EmptyPage
from django.test import RequestFactory

from accounts.models import User
from core.pagination import page_exactly, paginate
from tests.factories import UserFactory

ITEMS = list(range(1, 26))  # 25 items: pages of 10, 10 and 5


def _page(number):
    request = RequestFactory().get("/", {} if number is None else {"page": number})
    return paginate(request, ITEMS, per_page=10)


def test_the_page_asked_for_is_given():
    assert list(_page("2")) == list(range(11, 21))


@pytest.mark.parametrize("number", [None, "", "abc", "1.5"])
def test_no_page_or_a_junk_number_gives_the_first_page(number):
    assert _page(number).number == 1


@pytest.mark.parametrize("number", ["4", "999", "-1", "0"])
def test_a_number_out_of_range_gives_the_last_page(number):
    assert _page(number).number == 3


def test_a_list_of_nothing_has_one_empty_page():
    page = paginate(RequestFactory().get("/", {"page": "2"}), [], per_page=10)

    assert (page.number, list(page)) == (1, [])


@pytest.mark.django_db
def test_a_known_count_saves_the_count_query(django_assert_num_queries):
    UserFactory.create_batch(3)
    request = RequestFactory().get("/")

    with django_assert_num_queries(1):
        page = paginate(request, User.objects.order_by("pk"), per_page=2, count=3)
        assert len(page.object_list) == 2
    assert page.paginator.num_pages == 2


def test_the_api_gets_exactly_the_page_it_asks_for():
    page = page_exactly(ITEMS, 3, per_page=10)

    assert (page.number, page.paginator.count, page.paginator.num_pages) == (3, 25, 3)
    assert list(page) == list(range(21, 26))


def test_the_api_gets_no_page_past_the_end():
    with pytest.raises(EmptyPage):
        page_exactly(ITEMS, 4, per_page=10)


def test_the_api_gets_an_empty_first_page_of_nothing():
    assert list(page_exactly([], 1, per_page=10)) == []
