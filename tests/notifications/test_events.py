"""Who hears of what the community does: each event writes the right notification for the
right member, never for the one who acted, and only about visible content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services as community
from community import visibility
from community.models import Answer, Follow, Question, Visibility
from notifications import events, services, tasks
from notifications.mentions import mentioned_members
from notifications.models import Kind, Notification
from tests.factories import ForumFactory, UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def told(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return found.filter(kind=kind) if kind else found


def test_an_answer_tells_the_asker_and_not_the_answerer(asker, helper, forum):
    question = make_question(author=asker, forum=forum)

    answer = make_answer(question=question, author=helper)

    [notification] = told(asker)
    assert (notification.kind, notification.actor, notification.answer) == (
        Kind.ANSWER,
        helper,
        answer,
    )
    assert notification.question == question
    assert not told(helper).exists()


def test_answering_your_own_question_tells_nobody(asker, forum):
    question = make_question(author=asker, forum=forum)

    make_answer(question=question, author=asker)

    assert not Notification.objects.exists()


def test_a_comment_tells_the_answers_author(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)

    comment = community.comment_create(answer=answer, author=asker, body="Thanks, that worked!")

    [notification] = told(helper)
    assert (notification.kind, notification.comment, notification.actor) == (
        Kind.COMMENT,
        comment,
        asker,
    )
    assert told(asker).count() == 1  # only the answer to their question


def test_an_accepted_answer_tells_its_author_with_the_points_it_earned(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)

    community.answer_accept(answer=answer, by=asker)

    [notification] = told(helper)
    assert notification.kind == Kind.ACCEPTED
    assert notification.data == {"points": 50}


def test_an_accepted_answer_in_probation_says_no_points(asker, forum):
    newcomer = UserFactory(display_name="New Comer")
    answer = make_answer(question=make_question(author=asker, forum=forum), author=newcomer)

    community.answer_accept(answer=answer, by=asker)

    assert told(newcomer, Kind.ACCEPTED).get().data == {"points": 0}


def test_a_mention_with_spaces_in_the_name_tells_that_member_once(asker, helper, forum):
    question = make_question(author=asker, forum=forum)

    answer = make_answer(
        question=question,
        author=helper,
        body="@alma asker see above; and @Hugo Helper is me. Ask @Nobody Here too, @alma asker.",
    )

    # the asker gets the answer, not a second notice for the mention; nobody else exists
    assert list(told(asker).values_list("kind", flat=True)) == [Kind.ANSWER]
    assert not told(helper).exists()
    mentioned = UserFactory(display_name="Carla Cable")
    community.comment_create(answer=answer, author=asker, body="Maybe @Carla Cable, knows?")
    assert told(mentioned, Kind.MENTION).get().comment is not None


def test_mentions_in_code_and_email_addresses_are_not_mentions(db):
    UserFactory(display_name="Carla Cable")
    UserFactory(display_name="example")

    html = (
        "<p>Write to x@example.com</p><pre><code>@Carla Cable</code></pre><code>@Carla Cable</code>"
    )

    assert mentioned_members(html) == []


def test_a_post_mentions_at_most_ten_members(asker, forum):
    names = [f"Person {n:02d}" for n in range(12)]
    for name in names:
        UserFactory(display_name=name)

    make_question(author=asker, forum=forum, body=" ".join(f"@{name}" for name in names))

    assert Notification.objects.filter(kind=Kind.MENTION).count() == 10


def test_a_new_question_tells_the_forums_followers_after_commit(
    asker, helper, forum, django_capture_on_commit_callbacks
):
    community.follow_start(user=helper, target=forum)
    community.follow_start(user=asker, target=forum)

    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(author=asker, forum=forum)

    [notification] = Notification.objects.filter(kind=Kind.FORUM_QUESTION)
    assert (notification.recipient, notification.question) == (helper, question)


def test_the_fan_out_is_idempotent(asker, helper, forum):
    community.follow_start(user=helper, target=forum)
    question = make_question(author=asker, forum=forum)

    tasks.forum_fan_out(question.pk)
    tasks.forum_fan_out(question.pk)

    assert told(helper, Kind.FORUM_QUESTION).count() == 1


def test_the_sweep_runs_a_lost_fan_out(asker, helper, forum, monkeypatch):
    community.follow_start(user=helper, target=forum)
    question = make_question(author=asker, forum=forum)  # its fan-out task never ran
    later = timezone.now() + timedelta(minutes=10)

    assert services.fan_out_due(now=later) == [question.pk]
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)
    tasks.fan_out_sweep()

    assert told(helper, Kind.FORUM_QUESTION).count() == 1
    assert services.fan_out_due(now=later) == []


def test_followers_who_turned_it_off_get_nothing(asker, helper, forum):
    community.follow_start(user=helper, target=forum)
    services.preferences_set(user=helper, channels={Kind.FORUM_QUESTION: "off"})

    tasks.forum_fan_out(make_question(author=asker, forum=forum).pk)

    assert not told(helper).exists()


def test_posts_waiting_for_review_tell_nobody(asker, helper, forum):
    community.follow_start(user=helper, target=forum)
    question = make_question(author=asker, forum=forum)
    held = Answer.objects.create(
        question=question,
        author=helper,
        body="x",
        body_html="<p>@Alma Asker</p>",
        visibility=Visibility.PENDING,
    )
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.PENDING)
    question.refresh_from_db()

    events.post_published(question)
    events.post_published(held)
    tasks.forum_fan_out(question.pk)

    assert not Notification.objects.exists()


def test_a_post_approved_later_is_published_then(asker, helper, forum):
    question = make_question(author=asker, forum=forum)
    held = Answer.objects.create(
        question=question,
        author=helper,
        body="x",
        body_html="<p>x</p>",
        visibility=Visibility.PENDING,
    )

    visibility.post_visibility_set(post=held, visibility=Visibility.VISIBLE)

    assert told(asker, Kind.ANSWER).get().answer == held


def test_inactive_members_get_nothing(asker, helper, forum):
    question = make_question(author=helper, forum=forum)
    Follow.objects.create(user=helper, forum=forum)
    helper.is_active = False
    helper.save()

    make_answer(question=question, author=asker)
    tasks.forum_fan_out(make_question(author=asker, forum=forum).pk)

    assert not told(helper).exists()


def test_a_repeated_event_writes_one_row(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)

    events.post_published(answer)

    assert told(asker).count() == 1


def test_followers_of_another_forum_get_nothing(db):
    other_forum = ForumFactory()
    follower = UserFactory()
    Follow.objects.create(user=follower, forum=other_forum)

    tasks.forum_fan_out(make_question(forum=ForumFactory()).pk)

    assert not told(follower).exists()
