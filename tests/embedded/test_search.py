"""Search over the demo on SQLite (FTS5), as `make run` serves it: the same relevance
test set as on PostgreSQL."""

import pytest

from tests.search.relevance import measure


@pytest.mark.django_db
def test_nine_in_ten_queries_find_their_thread_in_the_top_five():
    top5, empty, misses = measure()

    assert top5 >= 0.9, "\n".join(misses)
    assert empty <= 0.05
