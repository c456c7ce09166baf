"""Invite to answer: who may be invited, the daily limit, and the form on the question page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Answer, Question, Visibility
from core.errors import Conflict, RateLimited
from moderation.models import MemberStanding
from notifications.invitations.services import invitation_create
from notifications.models import Invitation, Kind, Notification
from tests.factories import UserFactory, make_answer, make_question

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderation_defaults", "loop_limits"),
]


@pytest.fixture
def question(member, forum):
    return make_question(author=member, forum=forum)


@pytest.fixture
def expert(db):
    return UserFactory(display_name="Carla Expert")


def _invite(question, inviter, name="Carla Expert"):
    return invitation_create(inviter=inviter, question=question, invitee_name=name)


def _url(question) -> str:
    return reverse("invitations:invite", args=[question.pk])


def _members(n: int) -> list:
    return [UserFactory(display_name=f"Expert {i}") for i in range(n)]


def test_the_invitee_is_notified(question, other_member, expert):
    _invite(question, other_member)

    notice = Notification.objects.get(recipient=expert, kind=Kind.INVITE)
    assert (notice.actor, notice.question) == (other_member, question)
    assert notice.key == f"invite:{question.pk}:{expert.pk}"


def test_the_display_name_is_found_whatever_its_case(question, other_member, expert):
    invitation = _invite(question, other_member, name="  carla EXPERT ")

    assert invitation.invitee == expert


def test_the_asker_may_invite_too(question, member, expert):
    assert _invite(question, member).inviter == member


def test_inviting_yourself_is_refused(question, other_member):
    with pytest.raises(ValidationError, match="yourself"):
        _invite(question, other_member, name="Bernd Helper")


def test_inviting_the_asker_is_refused(question, other_member):
    with pytest.raises(ValidationError, match="asked this question"):
        _invite(question, other_member, name="Anna Asker")


def test_inviting_a_member_twice_is_a_conflict(question, member, other_member, expert):
    _invite(question, other_member)

    with pytest.raises(Conflict):
        _invite(question, member)
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("name", ["Nobody Known", ""])
def test_inviting_an_unknown_name_is_refused(question, other_member, name):
    with pytest.raises(ValidationError):
        _invite(question, other_member, name=name)


def test_inviting_an_inactive_member_is_refused(question, other_member, expert):
    expert.is_active = False
    expert.save(update_fields=["is_active"])

    with pytest.raises(ValidationError, match="no member called"):
        _invite(question, other_member)
    assert not Notification.objects.exists()


def test_a_solved_question_takes_no_invitations(question, member, other_member, expert):
    services.answer_accept(answer=make_answer(question=question, author=other_member), by=member)
    question.refresh_from_db()

    with pytest.raises(PermissionDenied, match="solved"):
        _invite(question, other_member)


def test_a_locked_question_takes_no_invitations(question, other_member, expert):
    Question.objects.filter(pk=question.pk).update(locked_at=timezone.now())
    question.refresh_from_db()

    with pytest.raises(PermissionDenied, match="locked"):
        _invite(question, other_member)


def test_a_suspended_member_may_not_invite(question, other_member, expert):
    MemberStanding.objects.create(
        user=other_member, suspended_until=timezone.now() + timedelta(days=3)
    )

    with pytest.raises(PermissionDenied, match="suspended"):
        _invite(question, other_member)
    assert not Invitation.objects.exists()


def test_a_member_at_the_posting_limit_may_still_invite(forum, other_member, expert, settings):
    settings.PEERDESK = {**settings.PEERDESK, "RATE_LIMITS": True}
    for _ in range(5):  # the hourly posting limit of a new member
        make_question(author=other_member, forum=forum)

    assert _invite(make_question(forum=forum), other_member)


def test_the_sixth_invitation_in_a_day_is_rate_limited(question, other_member):
    for invitee in _members(5):
        _invite(question, other_member, name=invitee.display_name)

    with pytest.raises(RateLimited) as limited:
        _invite(question, other_member, name=UserFactory().display_name)
    assert 0 < limited.value.retry_after <= 24 * 3600


def test_invitations_older_than_a_day_do_not_count(question, other_member):
    for invitee in _members(5):
        _invite(question, other_member, name=invitee.display_name)
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=25))

    assert _invite(question, other_member, name=UserFactory().display_name)


# --- The form on the question page -------------------------------------------------------


def test_the_question_page_shows_the_form_to_members_only(client, question, other_member):
    assert _url(question) not in client.get(question.get_absolute_url()).content.decode()

    client.force_login(other_member)
    assert _url(question) in client.get(question.get_absolute_url()).content.decode()


def test_an_htmx_invitation_swaps_in_a_thank_you(client, question, other_member, expert):
    client.force_login(other_member)

    response = client.post(
        _url(question), {"invitee": "carla expert"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "We told Carla Expert about this question" in response.content.decode()
    assert Invitation.objects.filter(invitee=expert).exists()


def test_a_plain_invitation_goes_back_to_the_question_with_a_message(
    client, question, other_member, expert
):
    client.force_login(other_member)

    response = client.post(_url(question), {"invitee": "Carla Expert"}, follow=True)

    assert response.redirect_chain[-1][0] == question.get_absolute_url()
    assert "We told Carla Expert about this question" in response.content.decode()


def test_a_refused_invitation_explains_why(client, question, other_member, expert):
    client.force_login(other_member)
    client.post(_url(question), {"invitee": "Carla Expert"})

    response = client.post(
        _url(question), {"invitee": "Carla Expert"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 409
    assert "has been invited to answer this question already" in response.content.decode()


def test_an_unknown_name_is_a_bad_request_with_the_reason(client, question, other_member):
    client.force_login(other_member)

    response = client.post(_url(question), {"invitee": "Nobody <b>Known</b>"})

    assert response.status_code == 400
    assert (
        "There is no member called “Nobody &lt;b&gt;Known&lt;/b&gt;”" in response.content.decode()
    )


def test_the_rate_limit_answers_429_with_a_message(client, question, other_member):
    client.force_login(other_member)
    for invitee in _members(5):
        client.post(_url(question), {"invitee": invitee.display_name})

    response = client.post(_url(question), {"invitee": UserFactory().display_name})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "You can invite 5 members a day" in response.content.decode()
    assert Invitation.objects.count() == 5


def test_visitors_are_sent_to_log_in(client, question):
    response = client.post(_url(question), {"invitee": "Carla Expert"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Invitation.objects.exists()


def test_a_plain_post_on_a_locked_thread_shows_the_reason(client, question, other_member, expert):
    Question.objects.filter(pk=question.pk).update(locked_at=timezone.now())
    client.force_login(other_member)

    response = client.post(_url(question), {"invitee": "Carla Expert"})

    assert response.status_code == 403
    assert "This thread is locked" in response.content.decode()


def test_the_invitation_page_works_without_javascript(client, question, other_member):
    client.force_login(other_member)

    response = client.get(_url(question))

    assert response.status_code == 200
    assert 'name="invitee"' in response.content.decode()


def test_a_hidden_question_is_not_found(client, question, other_member):
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)
    client.force_login(other_member)

    assert client.get(_url(question)).status_code == 404
    assert client.post(_url(question), {"invitee": "Carla Expert"}).status_code == 404


# --- Invite experts: from a content gap, the members who answered similar questions --------


def test_asking_to_invite_experts_goes_on_to_the_members_who_answered_alike(
    client, member, other_member, forum
):
    similar = make_question(author=other_member, forum=forum, title="Router blinks orange at night")
    helper = UserFactory(display_name="Router Rudi")
    services.answer_accept(answer=make_answer(question=similar, author=helper), by=other_member)
    make_answer(question=similar, author=UserFactory(display_name="Unhelpful Ulf"))  # no votes
    client.force_login(member)
    form = client.get(reverse("community:ask"), {"title": "router blinks", "then": "invite"})
    assert 'name="then" value="invite"' in form.content.decode()

    response = client.post(
        reverse("community:ask"),
        {"forum": forum.slug, "title": "Router blinks orange all day", "then": "invite",
         "body": "Since this morning the router blinks orange and nothing works."},
    )  # fmt: skip

    asked = Question.objects.get(title="Router blinks orange all day")
    assert response.url == _url(asked)
    page = client.get(response.url).content.decode()
    assert "Router Rudi" in page
    assert "Unhelpful Ulf" not in page
    assert client.post(_url(asked), {"invitee": "Router Rudi"}).status_code == 302
    assert Invitation.objects.filter(question=asked, invitee=helper).exists()
    assert 'value="Router Rudi"' not in client.get(_url(asked)).content.decode()  # invited


def test_asking_with_another_then_goes_to_the_question(client, member, forum):
    client.force_login(member)

    response = client.post(
        reverse("community:ask"),
        {"forum": forum.slug, "title": "Router blinks orange all day", "then": "//evil.example",
         "body": "Since this morning the router blinks orange and nothing works."},
    )  # fmt: skip

    assert (
        response.url
        == Question.objects.get(title="Router blinks orange all day").get_absolute_url()
    )


def test_a_banned_or_suspended_member_is_neither_suggested_nor_invited(
    client, member, other_member, forum
):
    similar = make_question(author=other_member, forum=forum, title="Router blinks orange at night")
    banned = UserFactory(display_name="Banned Bob")
    suspended = UserFactory(display_name="Suspended Sue")
    for helper in (banned, suspended):
        Answer.objects.filter(pk=make_answer(question=similar, author=helper).pk).update(
            vote_score=3
        )
    MemberStanding.objects.create(user=banned, banned_at=timezone.now())
    MemberStanding.objects.create(
        user=suspended, suspended_until=timezone.now() + timedelta(days=1)
    )
    asked = make_question(author=member, forum=forum, title="Router blinks orange all day")
    client.force_login(member)

    page = client.get(_url(asked)).content.decode()

    assert "Banned Bob" not in page and "Suspended Sue" not in page
    with pytest.raises(ValidationError, match="cannot answer at the moment"):
        _invite(asked, member, "Banned Bob")
