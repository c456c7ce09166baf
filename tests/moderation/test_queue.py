"""The review queue: one open case per item, claimed by one moderator at a time, most
urgent first; its pages are for moderators only and cost the same queries at any size."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from community.models import Answer, Visibility
from core.errors import Conflict
from moderation import actions, cases, selectors
from moderation.models import ActionKind, Appeal, Case, CaseSource, ModerationSettings
from tests.factories import UserFactory
from tests.moderation.helpers import actions_of, ago, another_moderator, answered, flag

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation:queue")


@pytest.fixture
def case(member):
    answer = answered(author=member)[1]
    return flag(answer).case


def _case_url(case, action=""):
    if action:
        return reverse("moderation:act", args=[case.pk, action])
    return reverse("moderation:case", args=[case.pk])


# --- Cases and claims -----------------------------------------------------------------


def test_opening_a_case_twice_gives_the_open_one(member):
    answer = answered(author=member)[1]

    first = cases.case_open(target=answer, source=CaseSource.FLAGS, weight=1)
    second = cases.case_open(target=answer, source=CaseSource.FLAGS, weight=2, priority=3)

    assert first.pk == second.pk
    assert (second.weight, second.priority) == (3, 3)


def test_a_closed_case_makes_room_for_a_new_one(case):
    cases.case_close(case=case)

    reopened = cases.case_open(target=case.target, source=CaseSource.FLAGS)

    assert reopened.pk != case.pk


def test_a_case_claimed_by_another_moderator_is_a_conflict_naming_them(case, moderator):
    cases.case_claim(case=case, moderator=moderator)

    with pytest.raises(Conflict, match="Mo Derator"):
        cases.case_claim(case=case, moderator=another_moderator())


def test_an_expired_claim_can_be_taken_over(case, moderator):
    cases.case_claim(case=case, moderator=moderator)
    minutes = ModerationSettings.load().claim_minutes
    Case.objects.filter(pk=case.pk).update(claimed_at=ago(minutes=minutes + 1))
    other = another_moderator()

    claimed = cases.case_claim(case=case, moderator=other)

    assert claimed.claimed_by == other


def test_only_the_holder_releases_a_case(case, moderator):
    cases.case_claim(case=case, moderator=moderator)

    with pytest.raises(Conflict):
        cases.case_release(case=case, moderator=another_moderator())
    released = cases.case_release(case=case, moderator=moderator)

    assert released.claimed_by is None


def test_members_cannot_claim(case, member):
    with pytest.raises(PermissionDenied):
        cases.case_claim(case=case, moderator=member)


def test_an_appeal_goes_to_another_moderator_than_the_one_who_decided(case, moderator, member):
    actions.post_hide(post=case.target, by=moderator, reason="Spam", case=case)
    decision = actions_of(ActionKind.HIDE).get()
    appeal = Appeal.objects.create(action=decision, appellant=member, text="It was not spam.")
    appeal_case = cases.case_open(
        target=case.target, source=CaseSource.APPEAL, appeal=appeal, priority=cases.Priority.APPEAL
    )

    with pytest.raises(PermissionDenied):
        cases.case_claim(case=appeal_case, moderator=moderator)
    assert cases.case_claim(case=appeal_case, moderator=another_moderator()).claimed_by_id


# --- The queue ------------------------------------------------------------------------


def test_the_queue_puts_personal_data_first_then_weight_then_age():
    light_old, heavy, light_new, personal = (answered()[1] for _ in range(4))
    flag(light_old)
    flag(heavy)
    flag(heavy)
    flag(light_new)
    flag(personal, "personal_data")

    order = [c.answer for c in selectors.queue()]

    assert order == [personal, heavy, light_old, light_new]


def test_the_queue_filters_by_reason_and_source(forum):
    spam, offensive = answered(forum=forum)[1], answered(forum=forum)[1]
    flag(spam, "spam")
    flag(offensive, "offensive")

    assert [c.answer for c in selectors.queue(reason="offensive")] == [offensive]
    assert selectors.queue(source=CaseSource.HELD).count() == 0


def test_the_queue_page_shows_each_case_with_its_reasons(moderator_client, case):
    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    assert _case_url(case).encode() in response.content
    assert b"Spam" in response.content


def test_members_and_support_leads_get_403_on_the_queue_page(client, member, support_lead):
    for user in (member, support_lead):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403


def test_visitors_are_sent_to_log_in(client):
    assert client.get(QUEUE).status_code == 302


def test_the_queue_page_costs_the_same_queries_for_more_cases(
    moderator_client, forum, django_assert_max_num_queries
):
    flag(answered(forum=forum)[1])
    flag(UserFactory(), "offensive")
    with django_assert_max_num_queries(30) as few:
        moderator_client.get(QUEUE)
    for _ in range(3):
        question, answer = answered(forum=forum)
        flag(answer)
        flag(answer)
        flag(question, "personal_data")
        flag(UserFactory(), "offensive")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(QUEUE)

    assert len(response.context["page"].object_list) == 11


def test_the_case_page_shows_content_flags_and_the_authors_history(moderator_client, case, member):
    response = moderator_client.get(_case_url(case))

    assert response.status_code == 200
    assert case.target.body.encode() in response.content
    assert member.display_name.encode() in response.content
    assert b"Recent answers" in response.content


def _profile_case():
    return flag(UserFactory(bio="Buy followers cheap"), "offensive").case


def _held_case():
    answer = answered()[1]
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.PENDING)
    return cases.case_open(target=answer, source=CaseSource.HELD, note="A link in a first post")


def _appeal_case():
    case = flag(answered()[0]).case
    decider = another_moderator()
    actions.post_hide(post=case.target, by=decider, reason="Spam", case=case)
    decision = actions_of(ActionKind.HIDE).get()
    appeal = Appeal.objects.create(
        action=decision, appellant=decision.member, text="My question is real."
    )
    return cases.case_open(target=case.target, source=CaseSource.APPEAL, appeal=appeal)


def _closed_case():
    case = flag(answered()[1]).case
    return cases.case_close(case=case)


@pytest.mark.parametrize("make", [_profile_case, _held_case, _appeal_case, _closed_case])
def test_the_case_page_renders_every_kind_of_case(moderator_client, make):
    case = make()

    response = moderator_client.get(_case_url(case))

    assert response.status_code == 200
    assert moderator_client.get(QUEUE).status_code == 200


def test_the_case_page_is_for_moderators_only(member_client, case):
    assert member_client.get(_case_url(case)).status_code == 403


def test_claiming_from_the_case_page(moderator_client, case, moderator):
    response = moderator_client.post(reverse("moderation:claim", args=[case.pk]))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.claimed_by == moderator


def test_acting_on_a_case_another_moderator_holds_is_a_409_that_changes_nothing(
    moderator_client, case
):
    cases.case_claim(case=case, moderator=another_moderator("Mia Moderator"))

    response = moderator_client.post(_case_url(case, "hide"), {"reason": "Spam"})

    assert response.status_code == 409
    assert b"Mia Moderator is handling this case." in response.content
    case.refresh_from_db()
    assert case.target.visibility == Visibility.VISIBLE
    assert case.state == "open"


def test_hiding_with_one_click_from_the_queue_row(moderator_client, case):
    response = moderator_client.post(
        _case_url(case, "hide"), {"reason": "Spam"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert b"Hidden." in response.content
    case.refresh_from_db()
    assert (case.state, case.target.visibility) == ("closed", Visibility.HIDDEN)


def test_a_one_click_action_on_a_held_case_shows_the_conflict_in_the_row(moderator_client, case):
    cases.case_claim(case=case, moderator=another_moderator("Mia Moderator"))

    response = moderator_client.post(
        _case_url(case, "delete"), {"reason": "Spam"}, headers={"HX-Request": "true"}
    )

    assert b"Mia Moderator is handling this case." in response.content
    assert case.target.visibility == Visibility.VISIBLE


def test_an_unknown_action_is_not_found(moderator_client, case):
    assert moderator_client.post(_case_url(case, "explode")).status_code == 404


# --- Two moderators at once -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_moderators_acting_on_one_case_at_once_exactly_one_wins(member):
    answer = answered(author=member)[1]
    case = flag(answer).case
    moderators = [another_moderator(f"Moderator {n}") for n in range(2)]
    barrier = Barrier(2)

    def act(moderator, function):
        barrier.wait()
        try:
            return function(post=answer, by=moderator, reason="Spam", case=case)
        except Conflict as conflict:
            return conflict
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(act, moderators, [actions.post_hide, actions.post_delete]))

    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    decided = actions_of(ActionKind.HIDE).count() + actions_of(ActionKind.DELETE).count()
    assert decided == 1
    answer.refresh_from_db()
    assert answer.visibility in (Visibility.HIDDEN, Visibility.REMOVED)
