"""Closing the loop: one reminder to mark the solution, days after the first answer."""

import pytest

from community import services
from community.models import Question, Visibility
from notifications.models import Kind, Notification
from notifications.reminders import tasks as loop_tasks
from notifications.reminders.services import reminders_send
from tests.factories import age, make_answer, make_question

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderation_defaults", "loop_limits"),
]


@pytest.fixture
def question(member, forum):
    return make_question(author=member, forum=forum)


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind=Kind.REMINDER)


def test_the_asker_is_reminded_days_after_the_first_answer(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)

    assert reminders_send() == 1

    reminder = _reminders(member).get()
    assert (reminder.key, reminder.question) == (f"reminder:{question.pk}", question)


def test_a_second_run_reminds_nobody_again(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)
    reminders_send()

    assert reminders_send() == 0
    assert _reminders(member).count() == 1


def test_the_beat_task_sends_the_reminders(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)

    loop_tasks.reminders_send()

    assert _reminders(member).count() == 1


def test_no_reminder_before_the_delay(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=2)

    assert reminders_send() == 0


def test_the_delay_counts_from_the_first_answer(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)
    make_answer(question=question, author=other_member, body="And update the firmware too.")

    assert reminders_send() == 1


def test_no_reminder_once_an_answer_is_accepted(question, member, other_member):
    answer = make_answer(question=question, author=other_member)
    age(answer, days=4)
    services.answer_accept(answer=answer, by=member)

    assert reminders_send() == 0
    assert not _reminders(member).exists()


def test_no_reminder_for_an_unanswered_question(question, member):
    age(question, days=10)

    assert reminders_send() == 0


def test_no_reminder_for_a_question_first_answered_long_ago(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=40)

    assert reminders_send() == 0


def test_no_reminder_for_a_hidden_question(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)

    assert reminders_send() == 0


def test_no_reminder_for_an_inactive_asker(question, member, other_member):
    age(make_answer(question=question, author=other_member), days=4)
    member.is_active = False
    member.save(update_fields=["is_active"])

    assert reminders_send() == 0


def test_each_due_asker_is_reminded_in_one_run(forum, member, other_member):
    for _ in range(3):
        age(make_answer(question=make_question(forum=forum), author=other_member), days=5)

    assert reminders_send() == 3
