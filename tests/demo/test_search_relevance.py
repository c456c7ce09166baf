"""Search over the demo on PostgreSQL: the relevance test set (tests/search/relevance.py)."""

import pytest

from tests.demo.helpers import seeded_once
from tests.search.relevance import measure

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-search")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with seeded_once(django_db_blocker):
        yield


def test_nine_in_ten_queries_find_their_thread_in_the_top_five(demo):
    top5, empty, misses = measure()

    assert top5 >= 0.9, "\n".join(misses)
    assert empty <= 0.05
