"""The history before insights recorded events: insights.backfill derives them from
accepted answers and "solved too" marks, set-based and idempotent (migration
insights/0002_defaults runs it with the historical models)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts import roles
from community import services
from community.models import Answer, SolvedToo
from insights.backfill import events_backfill
from insights.models import Channel, Event, EventKind, InsightsSettings
from tests.factories import (
    ForumFactory,
    UserFactory,
    a_visitor,
    make_answer,
    make_question,
    with_totp,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
ANSWERED = datetime(2026, 3, 31, 23, 30, tzinfo=BERLIN)  # the last evening of a month
MARKED = datetime(2026, 4, 2, 8, 0, tzinfo=BERLIN)


def _solved(*, author, forum=None):
    """A question whose answer by `author` (written at ANSWERED) its asker accepted."""
    asker = UserFactory()
    question = make_question(author=asker, forum=forum)
    answer = make_answer(question=question, author=author)
    Answer.objects.filter(pk=answer.pk).update(created_at=ANSWERED)
    services.answer_accept(answer=answer, by=asker)
    return question, answer


def _history_before_insights() -> None:
    """What a database had before insights: the posts, no events."""
    Event.objects.all().delete()


@pytest.fixture
def peer_solved(forum):
    return _solved(author=UserFactory(), forum=forum)


@pytest.mark.parametrize(
    "author",
    [
        pytest.param(lambda: UserFactory(role=roles.SUPPORT_LEADS), id="official"),
        pytest.param(lambda: with_totp(UserFactory(role=roles.MODERATORS)), id="moderator"),
        pytest.param(lambda: UserFactory(role=roles.COMMUNITY_MANAGERS), id="manager"),
        pytest.param(lambda: UserFactory(is_staff=True), id="is_staff"),
        pytest.param(lambda: UserFactory(is_superuser=True), id="superuser"),
    ],
)
def test_an_accepted_answer_by_staff_becomes_a_staff_solution(author):
    question, answer = _solved(author=author())
    _history_before_insights()

    assert events_backfill(apps) == 1

    event = Event.objects.get()
    assert event.kind == EventKind.STAFF_SOLUTION
    assert (event.key, event.answer_id) == (f"solution:{question.pk}", answer.pk)


def test_an_accepted_answer_by_a_peer_becomes_a_peer_solution_at_the_answers_time(
    peer_solved, forum
):
    question, answer = peer_solved
    _history_before_insights()

    assert events_backfill(apps) == 1

    event = Event.objects.get()
    assert event.kind == EventKind.PEER_SOLUTION
    assert event.key == f"solution:{question.pk}"
    # The accept time was never stored: the accepted answer's time is the estimate.
    assert event.occurred_at == ANSWERED
    assert (event.forum_id, event.question_id, event.answer_id) == (
        forum.pk,
        question.pk,
        answer.pk,
    )
    assert event.channel == Channel.PHONE
    assert (event.user_id, event.visitor, event.contact_request_id) == (None, "", None)


def test_an_erased_answerer_counts_as_a_peer(peer_solved):
    _question, answer = peer_solved
    Answer.objects.filter(pk=answer.pk).update(author=None)
    _history_before_insights()

    events_backfill(apps)

    assert Event.objects.get().kind == EventKind.PEER_SOLUTION


def test_solutions_count_at_the_community_channel_set_by_the_support_leads(peer_solved):
    InsightsSettings.objects.update_or_create(pk=1, defaults={"community_channel": Channel.EMAIL})
    _history_before_insights()

    events_backfill(apps)

    assert Event.objects.get().channel == Channel.EMAIL


def test_questions_without_an_accepted_answer_have_no_event(forum):
    make_answer(question=make_question(forum=forum))
    make_question(forum=forum)

    assert events_backfill(apps) == 0
    assert not Event.objects.exists()


def test_marks_by_members_and_visitors_become_solved_too_events_without_the_old_hash(
    peer_solved, forum
):
    question, answer = peer_solved
    reader = UserFactory()
    by_member = services.solved_too_mark(question=question, user=reader)
    by_visitor = services.solved_too_mark(question=question, visitor=a_visitor("an-old-session"))
    SolvedToo.objects.update(created_at=MARKED)
    _history_before_insights()

    assert events_backfill(apps) == 3  # the solution and two marks

    marks = Event.objects.filter(kind=EventKind.SOLVED_TOO).order_by("key")
    assert {event.key for event in marks} == {
        f"solved_too:{by_member.pk}",
        f"solved_too:{by_visitor.pk}",
    }
    for event in marks:
        assert event.occurred_at == MARKED
        assert (event.forum_id, event.question_id, event.answer_id) == (
            forum.pk,
            question.pk,
            answer.pk,
        )
        assert event.channel == Channel.PHONE
        # Old session hashes were not daily: none is copied.
        assert event.visitor == ""
    assert {event.user_id for event in marks} == {reader.pk, None}


def test_running_it_again_inserts_nothing_and_changes_nothing(peer_solved):
    question, _answer = peer_solved
    services.solved_too_mark(question=question, user=UserFactory())
    _history_before_insights()
    assert events_backfill(apps) == 2
    before = list(Event.objects.order_by("pk").values())

    assert events_backfill(apps) == 0

    assert list(Event.objects.order_by("pk").values()) == before


def test_events_recorded_live_are_kept_and_only_the_missing_ones_added(peer_solved):
    question, _answer = peer_solved
    live = Event.objects.get(key=f"solution:{question.pk}")  # written by answer_accept
    other, _other_answer = _solved(author=UserFactory())
    Event.objects.filter(key=f"solution:{other.pk}").delete()

    assert events_backfill(apps) == 1

    kept = Event.objects.get(key=f"solution:{question.pk}")
    assert (kept.pk, kept.occurred_at) == (live.pk, live.occurred_at)
    assert Event.objects.filter(key=f"solution:{other.pk}").exists()


def test_a_member_counts_once_per_question_even_with_a_mark_and_a_contact_visit(peer_solved):
    """A member whose contact-page visit ended on the question already counted for it."""
    question, answer = peer_solved
    reader = UserFactory()
    mark = services.solved_too_mark(question=question, user=reader)
    _history_before_insights()
    Event.objects.create(
        kind=EventKind.CONTACT_DEFLECTED,
        key="contact:" + "a" * 32,
        question=question,
        answer=answer,
        forum_id=question.forum_id,
        channel=Channel.CONTACT_FORM,
        user=reader,
    )

    assert events_backfill(apps) == 1  # the solution only

    assert not Event.objects.filter(key=f"solved_too:{mark.pk}").exists()


def test_it_works_with_the_models_of_the_migration_that_runs_it(peer_solved):
    question, _answer = peer_solved
    services.solved_too_mark(question=question, visitor=a_visitor("a-session"))
    _history_before_insights()
    historical = MigrationLoader(connection).project_state(("insights", "0002_defaults")).apps

    assert events_backfill(historical) == 2

    assert Event.objects.filter(kind=EventKind.PEER_SOLUTION, question=question).exists()


def test_solutions_in_several_forums_keep_their_forum():
    forums = ForumFactory(), ForumFactory()
    solved = [_solved(author=UserFactory(), forum=forum) for forum in forums]
    _history_before_insights()

    events_backfill(apps)

    for (question, _answer), forum in zip(solved, forums, strict=True):
        assert Event.objects.get(question=question).forum_id == forum.pk
