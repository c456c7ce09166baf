"""Every event is emitted by the real service that makes the change, and reaches the
receiver after commit with the documented data, and no more personal data than that."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from billing.gdpr import pseudonym
from community import services as community
from community.escalation.services import escalations_run
from moderation import actions
from moderation.flags.services import flag_create
from moderation.models import FlagReason, WatchedWord
from privacy.erasure import services as erasure
from rewards.models import Settlement
from rewards.settlement.services import settlement_run, settlements_send
from tests.factories import UserFactory, age, link_verified, make_answer, make_question
from tests.rewards.settlement_helpers import earn, member_with, time_passes
from webhooks.models import Event, EventType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block in a transaction that commits: tasks enqueued on commit run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _member(user) -> dict:
    return {"id": user.pk, "display_name": user.display_name}


def test_asking_a_question_sends_question_asked(subscribe, receiver, committed, forum, member):
    subscribe()

    with committed():
        question = community.question_create(
            author=member,
            forum=forum,
            title="Router blinks red",
            body="It blinks red since this morning.",
            tags=["router"],
        )

    [event] = receiver.events("question.asked")
    assert event["version"] == 1
    assert event["data"] == {
        "question": {
            "id": question.pk,
            "url": f"{SITE}/q/{question.pk}/",
            "title": "Router blinks red",
            "body": "It blinks red since this morning.",
            "language": question.language,
            "forum": {"id": forum.pk, "slug": "mobilfunk", "name": "Mobilfunk"},
            "tags": ["router"],
            "author": _member(member),
            "created_at": question.created_at.isoformat().replace("+00:00", "Z"),
        }
    }
    assert member.email not in str(event)


def test_a_held_question_is_sent_when_a_moderator_approves_it(
    subscribe, receiver, committed, forum, member, moderator
):
    subscribe(EventType.QUESTION_ASKED)
    WatchedWord.objects.create(word="casino", action=WatchedWord.Action.HOLD)
    with committed():
        question = make_question(author=member, forum=forum, title="Best casino bonus codes")
    assert receiver.events() == []

    with committed():
        actions.post_approve(post=question, by=moderator)

    assert [e["data"]["question"]["id"] for e in receiver.events()] == [question.pk]


def test_a_question_published_again_is_not_sent_again(
    subscribe, receiver, committed, forum, member, moderator
):
    subscribe(EventType.QUESTION_ASKED)
    with committed():
        question = make_question(author=member, forum=forum)
    with committed():
        actions.post_hide(post=question, by=moderator, reason="Checking")
        actions.post_restore(post=question, by=moderator)

    assert len(receiver.events()) == 1
    assert Event.objects.count() == 1


def test_answering_sends_question_answered(subscribe, receiver, committed, forum, member):
    question = make_question(author=member, forum=forum)
    helper = UserFactory(display_name="Helga Helper")
    subscribe(EventType.QUESTION_ANSWERED)

    with committed():
        answer = community.answer_create(
            question=question, author=helper, body="Reset it with the pin."
        )

    [event] = receiver.events("question.answered")
    assert event["data"]["question"]["id"] == question.pk
    assert event["data"]["answer"] == {
        "id": answer.pk,
        "url": f"{SITE}/a/{answer.pk}/",
        "body": "Reset it with the pin.",
        "is_official": False,
        "author": _member(helper),
        "created_at": answer.created_at.isoformat().replace("+00:00", "Z"),
    }


def test_accepting_sends_question_accepted_with_who_accepted(
    subscribe, receiver, committed, forum, member
):
    answer = make_answer(question=make_question(author=member, forum=forum))
    subscribe(EventType.QUESTION_ACCEPTED)

    with committed():
        community.answer_accept(answer=answer, by=member)

    [event] = receiver.events("question.accepted")
    assert event["data"]["answer"]["id"] == answer.pk
    assert event["data"]["accepted_by"] == _member(member)


def test_accepting_again_after_taking_it_back_is_sent_again(
    subscribe, receiver, committed, forum, member
):
    answer = make_answer(question=make_question(author=member, forum=forum))
    subscribe(EventType.QUESTION_ACCEPTED)

    with committed():
        community.answer_accept(answer=answer, by=member)
        community.answer_unaccept(question=answer.question, by=member)
        community.answer_accept(answer=answer, by=member)
        community.answer_accept(answer=answer, by=member)  # already accepted: nothing

    assert len(receiver.events("question.accepted")) == 2


def test_escalating_an_unanswered_question_sends_question_escalated(
    subscribe, receiver, committed, forum
):
    question = make_question(forum=forum)
    age(question, hours=forum.escalate_after_hours + 1)
    subscribe(EventType.QUESTION_ESCALATED)

    with committed():
        escalations_run()
        escalations_run()

    [event] = receiver.events("question.escalated")
    question.refresh_from_db()
    assert event["data"]["question"]["id"] == question.pk
    assert event["data"]["unanswered_hours"] == forum.escalate_after_hours
    assert event["data"]["escalated_at"] == question.escalated_at.isoformat().replace("+00:00", "Z")


def test_flagging_sends_flag_raised_without_the_flagger_or_their_words(
    subscribe, receiver, committed, forum, member
):
    answer = make_answer(question=make_question(forum=forum), author=member)
    flagger = UserFactory(display_name="Fritz Flagger")
    subscribe(EventType.FLAG_RAISED)

    with committed():
        flag = flag_create(
            flagger=flagger, target=answer, reason=FlagReason.OTHER, text="He is my neighbour"
        )

    [event] = receiver.events("flag.raised")
    assert event["data"] == {
        "flag": {
            "id": flag.pk,
            "reason": "other",
            "created_at": flag.created_at.isoformat().replace("+00:00", "Z"),
        },
        "case": {"id": flag.case_id, "url": f"{SITE}/staff/moderation/case/{flag.case_id}/"},
        "target": {
            "type": "answer",
            "id": answer.pk,
            "url": f"{SITE}/a/{answer.pk}/",
            "author": _member(member),
        },
    }
    assert "Fritz" not in str(event) and "neighbour" not in str(event)


def test_erasing_a_member_sends_their_id_and_the_pseudonyms_of_their_verified_numbers(
    subscribe, receiver, committed, member
):
    link_verified(member, "AB123456")
    never_verified = "ZZ999999"  # tried once, never proven to be theirs
    member.customer_links.create(customer_number=never_verified, state="revoked")
    subscribe(EventType.MEMBER_ERASED)
    member_id = member.pk

    with committed():
        erasure.erase_now(user=member)

    [event] = receiver.events("member.erased")
    assert event["data"] == {
        "member_id": member_id,
        "customer_number_pseudonyms": [pseudonym("AB123456")],
    }
    stored = str(list(Event.objects.values_list("data", flat=True)))
    assert "AB123456" not in stored and never_verified not in stored


def test_a_confirmed_payout_sends_settlement_confirmed(subscribe, receiver, committed):
    user = member_with(1000)
    subscribe(EventType.SETTLEMENT_CONFIRMED, EventType.SETTLEMENT_FAILED)
    run = settlement_run(key="webhooks-1", enqueue=False)

    with committed():
        settlements_send(ids=list(run.settlements.values_list("pk", flat=True)))

    [event] = receiver.events()
    settlement = Settlement.objects.get()
    assert event["type"] == "settlement.confirmed"
    assert event["data"]["settlement"] | {"created_at": None, "confirmed_at": None} == {
        "id": settlement.pk,
        "key": settlement.key,
        "member": _member(user),
        "points": 1000,
        "amount": "10.00",
        "currency": "EUR",
        "state": "confirmed",
        "attempts": 1,
        "gateway_reference": settlement.gateway_reference,
        "error": "",
        "created_at": None,
        "confirmed_at": None,
    }
    assert settlement.customer_number not in str(event)


def test_a_payout_failing_for_good_sends_settlement_failed_once(
    subscribe, receiver, committed, billing_server
):
    member_with(1000)
    subscribe(EventType.SETTLEMENT_CONFIRMED, EventType.SETTLEMENT_FAILED)
    run = settlement_run(key="webhooks-2", enqueue=False)
    ids = list(run.settlements.values_list("pk", flat=True))
    billing_server.mode = "reject"

    with committed():
        settlements_send(ids=ids)  # rejected, retried later: not for good yet
        Settlement.objects.update(attempts=5)
        time_passes()
        settlements_send(ids=ids)  # the last attempt

    [event] = receiver.events()
    assert event["type"] == "settlement.failed"
    assert event["data"]["settlement"]["state"] == "failed"
    assert event["data"]["settlement"]["error"] == "HTTP 422: customer account closed"


def test_an_endpoint_gets_only_the_events_it_chose(subscribe, receiver, committed, forum, member):
    subscribe(EventType.QUESTION_ANSWERED)

    with committed():
        question = make_question(author=member, forum=forum)
        make_answer(question=question)

    assert [e["type"] for e in receiver.events()] == ["question.answered"]


def test_without_an_endpoint_nothing_is_stored(db, forum, member):
    make_question(author=member, forum=forum)

    assert not Event.objects.exists()


def test_an_event_is_undone_with_the_change_that_emitted_it(subscribe, receiver, forum, member):
    subscribe(EventType.QUESTION_ASKED)

    with pytest.raises(RuntimeError), transaction.atomic():
        make_question(author=member, forum=forum)
        raise RuntimeError("the request failed after the question was written")

    assert not Event.objects.exists()


def test_an_event_is_sent_to_every_endpoint_that_chose_it(subscribe, receiver, committed, forum):
    subscribe(EventType.QUESTION_ASKED)
    subscribe(EventType.QUESTION_ASKED)

    with committed():
        make_question(forum=forum)

    deliveries = {r.delivery_id for r in receiver.requests}
    assert len(receiver.requests) == 2 and len(deliveries) == 2
    assert len({r.json["id"] for r in receiver.requests}) == 1


def test_earned_points_alone_send_nothing(subscribe, receiver, committed):
    subscribe()

    with committed():
        earn(UserFactory(date_joined=timezone.now() - timedelta(days=400)), 10)

    assert receiver.requests == []
