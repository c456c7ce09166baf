"""Deflection signals become insights.Event rows in the transaction of what caused them:
once per question for a solution, once per person and question for what a person says,
once per contact-page visit. And Question.first_answer_at records when the first
answer went online."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import roles
from community import services
from community.models import Answer, Question, SolvedToo, Visibility
from insights import events
from insights.models import Channel, ContactRequest, Event, EventKind, InsightsSettings
from moderation import actions
from tests.factories import UserFactory, make_answer, make_question, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(member, forum):
    return make_question(author=member, forum=forum)


def _solution(question: Question) -> Event:
    return Event.objects.get(key=f"solution:{question.pk}")


# --- Solutions ----------------------------------------------------------------------


def test_an_answer_accepted_from_a_peer_is_one_peer_solution(member, asked, forum):
    answer = make_answer(question=asked)
    before = timezone.now()

    services.answer_accept(answer=answer, by=member)

    event = Event.objects.get()
    assert event.key == f"solution:{asked.pk}"
    assert event.kind == EventKind.PEER_SOLUTION
    assert (event.question_id, event.answer_id, event.forum_id) == (asked.pk, answer.pk, forum.pk)
    assert before <= event.occurred_at <= timezone.now()
    assert event.channel == Channel.PHONE  # the default community channel
    assert event.is_deflection


@pytest.mark.parametrize("role", [roles.SUPPORT_LEADS, roles.MODERATORS])
def test_an_answer_accepted_from_staff_is_a_staff_solution(member, asked, role):
    answer = make_answer(question=asked, author=with_totp(UserFactory(role=role)))

    services.answer_accept(answer=answer, by=member)

    assert _solution(asked).kind == EventKind.STAFF_SOLUTION
    assert not _solution(asked).is_deflection


def test_an_erased_authors_answer_counts_as_a_peers(member, asked):
    answer = make_answer(question=asked)
    Answer.objects.filter(pk=answer.pk).update(author=None)
    answer.refresh_from_db()

    services.answer_accept(answer=answer, by=member)

    assert _solution(asked).kind == EventKind.PEER_SOLUTION


def test_the_solution_counts_at_the_community_channels_cost(member, asked):
    InsightsSettings.objects.update_or_create(pk=1, defaults={"community_channel": Channel.CHAT})

    services.answer_accept(answer=make_answer(question=asked), by=member)

    assert _solution(asked).channel == Channel.CHAT


def test_accepting_another_answer_updates_the_one_row(member, asked):
    peer = make_answer(question=asked)
    official = make_answer(question=asked, author=UserFactory(role=roles.SUPPORT_LEADS))
    services.answer_accept(answer=peer, by=member)
    first_time = _solution(asked).occurred_at

    services.answer_accept(answer=official, by=member)

    event = Event.objects.get()
    assert (event.kind, event.answer_id) == (EventKind.STAFF_SOLUTION, official.pk)
    assert event.occurred_at > first_time


def test_unaccepting_removes_the_solution_and_a_new_accept_records_it_again(member, asked):
    answer = make_answer(question=asked)
    services.answer_accept(answer=answer, by=member)

    services.answer_unaccept(question=asked, by=member)
    assert not Event.objects.exists()

    services.answer_accept(answer=answer, by=member)
    assert _solution(asked).kind == EventKind.PEER_SOLUTION


def test_a_refused_accept_records_nothing(asked, other_member):
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=make_answer(question=asked), by=other_member)

    assert not Event.objects.exists()


# --- "Solved for me too" ---------------------------------------------------------------


@pytest.fixture
def answered(asked, member):
    answer = make_answer(question=asked)
    services.answer_accept(answer=answer, by=member)
    asked.refresh_from_db()
    assert asked.accepted_answer_id == answer.pk
    return asked


def test_a_members_mark_is_their_event(answered, other_member, forum):
    mark = services.solved_too_mark(question=answered, user=other_member)

    event = Event.objects.get(kind=EventKind.SOLVED_TOO)
    assert event.key == f"solved_too:{mark.pk}"
    assert (event.user_id, event.visitor) == (other_member.pk, "")
    assert (event.question_id, event.answer_id, event.forum_id) == (
        answered.pk,
        answered.accepted_answer_id,
        forum.pk,
    )
    assert event.occurred_at == mark.created_at


def test_a_member_who_ended_a_contact_visit_on_the_question_counts_once(answered, other_member):
    deflected = events.contact_deflected(visit="visit-1", question=answered, user=other_member)

    mark = services.solved_too_mark(question=answered, user=other_member)

    assert SolvedToo.objects.filter(pk=mark.pk).exists()  # the mark itself is kept
    personal = Event.objects.filter(kind__in=[EventKind.SOLVED_TOO, EventKind.CONTACT_DEFLECTED])
    assert list(personal) == [deflected]


def test_a_contact_deflection_after_a_mark_is_not_counted_again(answered, other_member):
    services.solved_too_mark(question=answered, user=other_member)

    assert events.contact_deflected(visit="v", question=answered, user=other_member) is None
    assert not Event.objects.filter(kind=EventKind.CONTACT_DEFLECTED).exists()


def test_a_refused_personal_event_leaves_the_transaction_usable(answered, other_member):
    with transaction.atomic():
        events.contact_deflected(visit="first", question=answered, user=other_member)
        again = events.contact_deflected(visit="second", question=answered, user=other_member)
        assert again is None
        Event.objects.count()  # would raise if the IntegrityError had broken the transaction


# --- Contact-page visits -----------------------------------------------------------------


def test_a_contact_deflection_records_the_visit_once(answered, forum):
    first = events.contact_deflected(visit="visit-9", question=answered, visitor="a" * 64)
    again = events.contact_deflected(visit="visit-9", question=answered, visitor="a" * 64)

    assert again == first
    assert Event.objects.filter(key="contact:visit-9").count() == 1
    assert (first.kind, first.channel) == (EventKind.CONTACT_DEFLECTED, Channel.CONTACT_FORM)
    assert (first.question_id, first.answer_id, first.forum_id) == (
        answered.pk,
        answered.accepted_answer_id,
        forum.pk,
    )
    assert (first.user, first.visitor) == (None, "a" * 64)


def test_a_deflection_on_an_unsolved_question_has_no_answer(asked, other_member):
    event = events.contact_deflected(visit="v", question=asked, user=other_member)

    assert (event.answer_id, event.user_id) == (None, other_member.pk)


def _contact_request(forum, user=None) -> ContactRequest:
    return ContactRequest.objects.create(
        user=user,
        name="Carla Customer",
        email="carla@example.com",
        subject="Router blinks red",
        message="Nothing helped.",
        forum=forum,
    )


def test_a_submitted_contact_request_is_no_deflection(forum, member):
    request = _contact_request(forum, user=member)

    event = events.contact_submitted(visit="visit-2", request=request)

    assert (event.kind, event.channel) == (EventKind.CONTACT_SUBMITTED, Channel.CONTACT_FORM)
    assert (event.contact_request, event.forum_id, event.user) == (request, forum.pk, member)
    assert not event.is_deflection


def test_submitting_after_a_deflection_in_the_same_visit_turns_it_into_a_submission(
    answered, forum
):
    deflected = events.contact_deflected(visit="visit-3", question=answered, visitor="b" * 64)
    request = _contact_request(forum)

    events.contact_submitted(visit="visit-3", request=request)

    event = Event.objects.get(key="contact:visit-3")
    assert event.pk == deflected.pk
    assert (event.kind, event.contact_request) == (EventKind.CONTACT_SUBMITTED, request)
    assert event.occurred_at >= deflected.occurred_at
    assert Event.objects.filter(key__startswith="contact:").count() == 1


def test_submitting_twice_in_one_visit_keeps_one_row(forum):
    first = events.contact_submitted(visit="visit-4", request=_contact_request(forum))
    again = events.contact_submitted(visit="visit-4", request=_contact_request(forum))

    assert again.pk == first.pk
    assert Event.objects.count() == 1


# --- Time of the first answer ----------------------------------------------------------


def test_the_first_published_answer_sets_the_first_answer_time(asked):
    first = make_answer(question=asked)
    make_answer(question=asked)

    asked.refresh_from_db()
    assert asked.first_answer_at == first.created_at


def test_hiding_the_first_answer_keeps_the_first_answer_time(asked, moderator):
    first = make_answer(question=asked)
    actions.post_hide(post=first, by=moderator, reason="Spam")

    asked.refresh_from_db()
    assert asked.first_answer_at == first.created_at


def test_an_approved_held_answer_sets_the_first_answer_time_when_approved(asked, moderator):
    held = make_answer(question=asked, author=UserFactory(), body="See https://example.com")
    assert held.visibility == Visibility.PENDING
    asked.refresh_from_db()
    assert asked.first_answer_at is None

    before = timezone.now()
    actions.post_approve(post=held, by=moderator)

    asked.refresh_from_db()
    assert before <= asked.first_answer_at <= timezone.now()
