"""Personal data in webhooks: stored events name members only as {id, display name} and
copy public posts; erasure cuts the member out of them (and, with "delete my posts",
their texts), and member.erased keeps only the id and pseudonyms."""

import pytest
from django.db import connection

from community import services as community
from privacy.erasure import services as erasure
from tests.factories import UserFactory, link_verified, make_answer, make_question
from webhooks.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

NAME, EMAIL, NUMBER = "Erin Erasable", "erin@example.com", "WF77001234"
PHRASE = "zebra-violin-lighthouse"


def _webhooks_hits(*needles: str) -> list[str]:
    """The columns of webhooks' tables that contain one of the needles."""
    hits = []
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if "webhooks" in t]
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                table_sql, column_sql = (connection.ops.quote_name(n) for n in (table, column.name))
                cursor.execute(
                    f"SELECT count(*) FROM {table_sql} WHERE {column_sql}::text ILIKE ANY(%s)",  # noqa: S608
                    [[f"%{needle}%" for needle in needles]],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


@pytest.fixture
def erin(db):
    return UserFactory(display_name=NAME, email=EMAIL)


@pytest.fixture
def thread(subscribe, erin, forum):
    """Erin asks, Otto answers, Erin accepts, with an endpoint taking every event."""
    subscribe()
    link_verified(erin, NUMBER)
    question = make_question(author=erin, forum=forum, body=f"I say {PHRASE}, and more.")
    answer = make_answer(question=question, author=UserFactory(display_name="Otto Other"))
    community.answer_accept(answer=answer, by=erin)


def _data(event_type: str) -> dict:
    return Event.objects.get(type=event_type).data


@pytest.mark.usefixtures("thread")
def test_the_scan_finds_the_member_in_the_events_before_erasure():
    assert _webhooks_hits(NAME) == ["webhooks_event.data"]
    assert _webhooks_hits(EMAIL, NUMBER) == []


@pytest.mark.usefixtures("thread")
def test_erasure_cuts_the_member_out_of_every_event_and_keeps_the_others(erin):
    erin_id = erin.pk

    erasure.erase_now(user=erin)

    assert _webhooks_hits(NAME, EMAIL, NUMBER) == []
    assert _data("question.asked")["question"]["author"] is None
    answered = _data("question.answered")
    assert answered["question"]["author"] is None
    assert answered["answer"]["author"]["display_name"] == "Otto Other"
    assert _data("question.accepted")["accepted_by"] is None
    assert _data("member.erased")["member_id"] == erin_id
    assert not Event.members.through.objects.filter(user_id=erin_id).exists()


@pytest.mark.usefixtures("thread")
def test_the_post_texts_stay_unless_the_member_deletes_their_posts(erin):
    erasure.erase_now(user=erin)

    assert _data("question.asked")["question"]["body"] == f"I say {PHRASE}, and more."


@pytest.mark.usefixtures("thread")
def test_deleting_their_posts_deletes_the_events_copies_of_their_texts(erin):
    erasure.erase_now(user=erin, delete_posts=True)

    assert _webhooks_hits(NAME, PHRASE) == []
    asked = _data("question.asked")["question"]
    assert (asked["title"], asked["body"], asked["author"]) == (None, None, None)
    answered = _data("question.answered")["answer"]
    assert answered["body"] == "Hold the reset button for ten seconds."
