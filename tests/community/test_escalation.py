"""Unanswered questions go to the support team after their forum's delay."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from community.escalation.services import escalations_run
from community.models import Question, Visibility
from notifications.models import Kind, Notification
from notifications.reminders import tasks as loop_tasks
from tests.factories import (
    ForumFactory,
    UserFactory,
    age,
    make_answer,
    make_question,
    with_totp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

URL = "/staff/escalations/"


def _asked(forum, *, hours: float, author=None) -> Question:
    question = make_question(forum=forum, author=author)
    age(question, hours=hours)
    return question


def _escalated_at(question):
    question.refresh_from_db(fields=["escalated_at"])
    return question.escalated_at


def test_a_question_unanswered_past_the_forums_delay_is_escalated(forum, support_lead):
    question = _asked(forum, hours=25)

    assert escalations_run() == 1

    assert _escalated_at(question) is not None
    notice = Notification.objects.get(recipient=support_lead, kind=Kind.ESCALATION)
    assert (notice.key, notice.question) == (
        f"escalation:{question.pk}:{support_lead.pk}",
        question,
    )


def test_a_question_is_not_escalated_before_the_delay(forum, support_lead):
    question = _asked(forum, hours=23)

    assert escalations_run() == 0
    assert _escalated_at(question) is None


def test_each_forum_has_its_own_delay(support_lead):
    fast, slow = ForumFactory(escalate_after_hours=2), ForumFactory(escalate_after_hours=48)
    on_fast, on_slow = _asked(fast, hours=3), _asked(slow, hours=25)

    escalations_run()

    assert _escalated_at(on_fast) is not None
    assert _escalated_at(on_slow) is None


def test_a_forum_with_zero_hours_never_escalates(support_lead):
    question = _asked(ForumFactory(escalate_after_hours=0), hours=24 * 20)

    assert escalations_run() == 0
    assert _escalated_at(question) is None


def test_an_answered_question_is_not_escalated(forum, other_member, support_lead):
    question = _asked(forum, hours=25)
    make_answer(question=question, author=other_member)

    assert escalations_run() == 0
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()


def test_a_hidden_question_is_not_escalated(forum, support_lead):
    question = _asked(forum, hours=25)
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)

    assert escalations_run() == 0


def test_the_archive_is_not_escalated(forum, support_lead):
    question = _asked(forum, hours=24 * 40)

    assert escalations_run() == 0
    assert _escalated_at(question) is None


def test_escalating_twice_changes_nothing(forum, support_lead):
    question = _asked(forum, hours=25)
    escalations_run()
    first = _escalated_at(question)

    assert escalations_run() == 0
    assert _escalated_at(question) == first
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 1


def test_every_support_lead_is_told_and_members_are_not(forum, support_lead, member):
    other_lead = UserFactory(role=roles.SUPPORT_LEADS)
    question = _asked(forum, hours=25)

    loop_tasks.escalations_run()

    told = Notification.objects.filter(kind=Kind.ESCALATION, question=question)
    assert set(told.values_list("recipient", flat=True)) == {support_lead.pk, other_lead.pk}


# --- The mark on the question page --------------------------------------------------------


def test_the_question_page_says_the_question_was_escalated(client, forum):
    question = _asked(forum, hours=25)
    mark = "Escalated to the support team"
    assert mark not in client.get(question.get_absolute_url()).content.decode()

    escalations_run()

    assert mark in client.get(question.get_absolute_url()).content.decode()


# --- The staff page ------------------------------------------------------------------------


def test_members_may_not_see_the_staff_page(client, member):
    client.force_login(member)

    assert client.get(URL).status_code == 403


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", [roles.SUPPORT_LEADS, roles.MODERATORS, roles.COMMUNITY_MANAGERS])
def test_staff_see_escalated_questions_oldest_first(client, forum, role):
    newer, older = _asked(forum, hours=30), _asked(forum, hours=50, author=UserFactory())
    Question.objects.filter(pk=newer.pk).update(title="The newer question")
    Question.objects.filter(pk=older.pk).update(title="The older question")
    escalations_run()
    client.force_login(with_totp(UserFactory(role=role)))

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("The older question") < page.index("The newer question")


def test_the_staff_page_filters_by_forum(client, support_lead):
    shown, other = ForumFactory(), ForumFactory()
    _asked(shown, hours=30)
    Question.objects.filter(forum=shown).update(title="In the chosen forum")
    _asked(other, hours=30)
    Question.objects.filter(forum=other).update(title="In another forum")
    escalations_run()
    client.force_login(support_lead)

    page = client.get(URL, {"forum": shown.slug}).content.decode()

    assert "In the chosen forum" in page
    assert "In another forum" not in page


def test_the_staff_page_shows_who_answered_escalated_questions(
    client, forum, support_lead, other_member
):
    by_peer, by_staff = _asked(forum, hours=30), _asked(forum, hours=30)
    escalations_run()
    make_answer(question=by_peer, author=other_member)
    make_answer(question=by_staff, author=support_lead)
    client.force_login(support_lead)

    answered = list(client.get(URL).context["answered"])

    assert {(q.pk, q.first_answerer, q.first_answer_official) for q in answered} == {
        (by_peer.pk, "Bernd Helper", False),
        (by_staff.pk, "Sue Support", True),
    }
    assert client.get(URL).context["page"].paginator.count == 0


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_the_staff_page_costs_the_same_with_2_or_20_escalated_questions(
    client, forum, support_lead, other_member
):
    client.force_login(support_lead)

    def add(n: int) -> None:
        for _ in range(n):
            _asked(forum, hours=30)
        escalations_run()
        make_answer(question=Question.objects.filter(answer_count=0).first(), author=other_member)

    add(2)
    client.get(URL)  # warm-up
    few = _queries(client)
    add(18)
    client.get(URL)  # the bell's count again: the escalations notified the support lead

    assert _queries(client) == few <= 11  # 11: the permission check of the link to the dashboard
