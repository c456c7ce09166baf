"""Members flag posts and profiles: once each, never their own; personal data and the
flags of trusted members hide a post at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from community.models import Answer, Visibility
from core.errors import Conflict, RateLimited
from moderation import cases, selectors
from moderation.models import Case, Flag, ModerationSettings, TrustLevelRule
from tests.factories import make_answer
from tests.moderation.helpers import actions_of, answered, flag, trusted_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(member):
    return answered(author=member)[1]


def test_a_flag_opens_a_case_weighted_by_the_flaggers_trust_level(answer, other_member):
    created = flag(answer, by=other_member)

    case = Case.objects.get()
    weight = TrustLevelRule.objects.get(level=0).flag_weight
    assert (created.case, created.weight, case.weight) == (case, weight, weight)
    assert (case.answer, case.source, case.state) == (answer, "flags", "open")


def test_flags_of_several_members_add_up_in_one_case(answer):
    for _ in range(3):
        flag(answer)

    case = Case.objects.get()
    assert case.weight == 3 * TrustLevelRule.objects.get(level=0).flag_weight
    assert case.flags.count() == 3


def test_flagging_your_own_post_is_refused(answer, member):
    with pytest.raises(PermissionDenied):
        flag(answer, by=member)

    assert not Flag.objects.exists()


def test_reporting_your_own_profile_is_refused(member):
    with pytest.raises(PermissionDenied):
        flag(member, "offensive", by=member)


def test_a_second_flag_by_the_same_member_is_a_conflict(answer, other_member):
    flag(answer, by=other_member)

    with pytest.raises(Conflict):
        flag(answer, "offensive", by=other_member)

    assert Flag.objects.count() == 1
    assert Case.objects.get().weight == TrustLevelRule.objects.get(level=0).flag_weight


def test_other_needs_a_text(answer, other_member):
    with pytest.raises(ValidationError) as invalid:
        flag(answer, "other", by=other_member, text="   ")

    assert "text" in invalid.value.message_dict


def test_an_unknown_reason_is_invalid(answer, other_member):
    with pytest.raises(ValidationError):
        flag(answer, "boring", by=other_member)


def test_a_post_members_cannot_see_cannot_be_flagged(answer, other_member):
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.REMOVED)
    answer.refresh_from_db()

    with pytest.raises(Answer.DoesNotExist):
        flag(answer, by=other_member)
    with pytest.raises(Answer.DoesNotExist):
        selectors.flag_target("answer", answer.pk)


def test_flooding_flags_is_rate_limited(other_member, forum, rate_limits):
    per_day = TrustLevelRule.objects.get(level=0).flags_per_day
    posts = [answered(forum=forum)[1] for _ in range(per_day + 1)]
    for post in posts[:per_day]:
        flag(post, by=other_member)

    with pytest.raises(RateLimited):
        flag(posts[-1], by=other_member)

    assert Flag.objects.filter(flagger=other_member).count() == per_day


def test_a_personal_data_flag_hides_the_post_at_once_and_goes_first(answer, member):
    older = answered()[1]
    for _ in range(3):
        flag(older)

    flag(answer, "personal_data", text="Her phone number")

    answer.refresh_from_db()
    assert answer.visibility == Visibility.HIDDEN
    hidden = actions_of("auto_hide").get()
    assert (hidden.answer, hidden.member, hidden.actor) == (answer, member, None)
    assert [c.answer for c in selectors.queue()] == [answer, older]


def test_trusted_members_flags_hide_the_post_once_their_weight_is_reached(answer):
    threshold = ModerationSettings.load().auto_hide_weight
    weight = TrustLevelRule.objects.get(level=3).flag_weight
    needed = -(-threshold // weight)
    for _ in range(needed - 1):
        flag(answer, by=trusted_as())
    answer.refresh_from_db()
    assert answer.visibility == Visibility.VISIBLE

    flag(answer, by=trusted_as())

    answer.refresh_from_db()
    assert answer.visibility == Visibility.HIDDEN
    assert actions_of("auto_hide").get().case == Case.objects.get()
    assert Case.objects.get().priority == cases.Priority.TRUSTED_FLAGS


def test_new_members_flags_never_hide_a_post_however_many(answer):
    threshold = ModerationSettings.load().auto_hide_weight
    for _ in range(threshold + 1):
        flag(answer)

    answer.refresh_from_db()
    assert answer.visibility == Visibility.VISIBLE
    assert Case.objects.get().weight > threshold


def test_trusted_flags_on_a_profile_move_its_case_up(other_member):
    threshold = ModerationSettings.load().auto_hide_weight
    for _ in range(threshold):
        flag(other_member, "offensive", by=trusted_as())

    case = Case.objects.get(profile=other_member)
    assert case.priority == cases.Priority.TRUSTED_FLAGS
    assert not actions_of("auto_hide").exists()


def test_members_see_which_posts_of_a_thread_they_flagged(member, other_member):
    question, answer = answered(author=member)
    another = make_answer(question=question, author=member)
    flag(answer, by=other_member)

    assert selectors.flagged_in_thread(other_member, question) == {("answer", answer.pk)}
    assert selectors.flagged_by(other_member, [answer, another, question]) == {
        ("answer", answer.pk)
    }


# --- The flag page and the link on posts ------------------------------------------------


def test_the_flag_form_flags_and_goes_back_to_the_thread(answer, other_member, client):
    client.force_login(other_member)
    url = reverse("flags:create", args=["answer", answer.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam"})

    assert response.status_code == 302
    assert Flag.objects.get().flagger == other_member


def test_flagging_inline_with_htmx_answers_with_the_new_state(answer, other_member, client):
    client.force_login(other_member)
    url = reverse("flags:create", args=["answer", answer.pk])

    form = client.get(url, headers={"HX-Request": "true"})
    response = client.post(url, {"reason": "offensive"}, headers={"HX-Request": "true"})

    assert b"<form" in form.content and b"<html" not in form.content
    assert b"You flagged this" in response.content


def test_the_flag_form_shows_what_is_missing(answer, other_member, client):
    client.force_login(other_member)

    response = client.post(reverse("flags:create", args=["answer", answer.pk]), {"reason": "other"})

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_the_flag_page_of_your_own_post_is_forbidden(answer, member_client):
    response = member_client.post(
        reverse("flags:create", args=["answer", answer.pk]), {"reason": "spam"}
    )

    assert response.status_code == 403


def test_unknown_things_to_flag_are_not_found(member_client):
    for kind, pk in (("answer", 999999), ("vote", 1), ("question", 10**30)):
        assert member_client.get(reverse("flags:create", args=[kind, pk])).status_code == 404


def test_visitors_are_sent_to_log_in_to_flag(answer, client):
    response = client.get(reverse("flags:create", args=["answer", answer.pk]))

    assert response.status_code == 302


def test_the_question_page_shows_a_flag_link_and_then_that_you_flagged(other_member, client):
    question = answered()[0]
    client.force_login(other_member)

    page = client.get(question.get_absolute_url())
    assert reverse("flags:create", args=["question", question.pk]).encode() in page.content

    flag(question, by=other_member)
    page = client.get(question.get_absolute_url())
    assert b"You flagged this" in page.content


def test_authors_get_no_flag_link_on_their_own_question(member, client):
    question = answered()[0]
    client.force_login(question.author)

    page = client.get(question.get_absolute_url())

    assert reverse("flags:create", args=["question", question.pk]).encode() not in page.content


def test_the_flag_link_of_a_profile_says_report(other_member, member):
    request = RequestFactory().get("/")
    request.user = member
    html = Template('{% include "moderation/_flag.html" with target=profile %}').render(
        Context({"profile": other_member, "user": member, "request": request})
    )

    assert "Report profile" in html
    assert reverse("flags:create", args=["profile", other_member.pk]) in html
