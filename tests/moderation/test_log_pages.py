"""The staff pages of the moderation log: who may see them, filters, the query budget,
sanctions from a member's history, and deciding an appeal."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from moderation import sanctions
from moderation.appeals import services as appeals
from moderation.audit import services as audit
from moderation.models import ActionKind, Appeal, Case, MemberStanding, ModerationAction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOG = reverse("moderation_log:list")


def member_page(member) -> str:
    return reverse("moderation_log:member", args=[member.pk])


def sanction_url(member) -> str:
    return reverse("moderation_log:sanction", args=[member.pk])


def shown(response) -> set[int]:
    return {action.pk for action in response.context["page"].object_list}


def test_visitors_are_sent_to_log_in(client):
    response = client.get(LOG)

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_members_may_not_read_the_log(member_client, member, other_member):
    assert member_client.get(LOG).status_code == 403
    assert member_client.get(member_page(other_member)).status_code == 403


def test_support_leads_read_the_log_but_do_not_sanction(client, support_lead, member, moderator):
    sanctions.member_warn(member=member, by=moderator, reason="Be kind.")
    client.force_login(support_lead)

    assert client.get(LOG).status_code == 200
    page = client.get(member_page(member))
    assert page.status_code == 200
    assert "Be kind." in page.text
    assert sanction_url(member) not in page.text
    assert client.post(sanction_url(member), {"action": "ban", "reason": "x"}).status_code == 403
    assert MemberStanding.objects.get(user=member).banned_at is None


def test_the_log_filters_by_kind_moderator_member_and_dates(
    moderator_client, moderator, second_moderator, member, other_member
):
    warned = sanctions.member_warn(member=member, by=moderator, reason="One")
    banned = sanctions.member_ban(member=other_member, by=second_moderator, reason="Two")
    old = sanctions.member_warn(member=other_member, by=moderator, reason="Three")
    ModerationAction.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    today = timezone.localdate()

    assert shown(moderator_client.get(LOG)) == {warned.pk, banned.pk, old.pk}
    assert shown(moderator_client.get(LOG, {"kind": "ban"})) == {banned.pk}
    assert shown(moderator_client.get(LOG, {"moderator": moderator.pk})) == {warned.pk, old.pk}
    assert shown(moderator_client.get(LOG, {"member": other_member.email.upper()})) == {
        banned.pk,
        old.pk,
    }
    assert shown(moderator_client.get(LOG, {"member": member.display_name})) == {warned.pk}
    assert shown(moderator_client.get(LOG, {"since": today.isoformat()})) == {
        warned.pk,
        banned.pk,
    }
    until = (today - timedelta(days=5)).isoformat()
    assert shown(moderator_client.get(LOG, {"until": until})) == {old.pk}


def test_a_wrong_filter_shows_the_error_and_nothing_else(moderator_client, moderator, member):
    sanctions.member_warn(member=member, by=moderator, reason="One")

    response = moderator_client.get(LOG, {"since": "2025-05-02", "until": "2025-05-01"})

    assert response.status_code == 200
    assert shown(response) == set()
    assert "The end comes after the start." in response.text


def test_the_log_page_takes_the_same_queries_however_long(
    moderator_client, moderator, django_assert_max_num_queries
):
    def add_actions(n):
        for _ in range(n):
            member = UserFactory()
            sanctions.member_warn(member=member, by=moderator, reason="Warned")
            action = sanctions.member_ban(member=member, by=moderator, reason="Banned")
            appeals.appeal_file(action=action, by=member, text="Please")

    add_actions(2)
    moderator_client.get(LOG)  # the session's first request writes it (cached_db)
    with django_assert_max_num_queries(12) as few:
        moderator_client.get(LOG)
    add_actions(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(LOG)
    assert len(shown(response)) == 24


def test_a_moderator_warns_from_the_members_history(moderator_client, moderator, member):
    response = moderator_client.post(
        sanction_url(member), {"action": "warn", "reason": "Keep it civil."}
    )

    assert response.status_code == 302
    action = ModerationAction.objects.get(kind=ActionKind.WARN)
    assert (action.actor, action.member, action.reason) == (moderator, member, "Keep it civil.")


def test_a_moderator_suspends_for_some_days(moderator_client, member):
    data = {"action": "suspend", "days": "3", "reason": "Spam"}
    moderator_client.post(sanction_url(member), data)

    until = MemberStanding.objects.get(user=member).suspended_until
    assert timedelta(days=2, hours=23) < until - timezone.now() <= timedelta(days=3)


def test_a_suspension_without_days_is_shown_again(moderator_client, member):
    response = moderator_client.post(sanction_url(member), {"action": "suspend", "reason": "x"})

    assert response.status_code == 400
    assert "For how many days?" in response.text
    assert not ModerationAction.objects.exists()


def test_a_warning_without_a_reason_is_shown_again(moderator_client, member):
    response = moderator_client.post(sanction_url(member), {"action": "warn", "reason": ""})

    assert response.status_code == 400
    assert "Tell the member why." in response.text


def test_sanctioning_staff_is_refused_with_a_reason(moderator_client, support_lead):
    response = moderator_client.post(sanction_url(support_lead), {"action": "ban", "reason": "x"})

    assert response.status_code == 403
    assert not ModerationAction.objects.exists()


def test_a_refused_sanction_is_explained(moderator_client, moderator, member):
    response = moderator_client.post(
        sanction_url(member), {"action": "unban", "reason": ""}, follow=True
    )

    assert "neither suspended nor banned" in response.text


@pytest.fixture
def appeal(member, moderator) -> Appeal:
    action = sanctions.member_warn(member=member, by=moderator, reason="Be kind.")
    return appeals.appeal_file(action=action, by=member, text="I was kind.")


def decide_url(appeal) -> str:
    return reverse("moderation_log:appeal_decide", args=[appeal.pk])


def test_another_moderator_overturns_an_appeal_and_goes_back(client, second_moderator, appeal):
    client.force_login(second_moderator)

    response = client.post(
        decide_url(appeal), {"decision": "overturn", "note": "Fair.", "next": "/staff/moderation/"}
    )

    assert response.status_code == 302
    assert response.url == "/staff/moderation/"
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.OVERTURNED


def test_the_acting_moderator_may_not_decide_the_appeal(moderator_client, appeal):
    response = moderator_client.post(decide_url(appeal), {"decision": "overturn", "note": "Mine."})

    assert response.status_code == 403
    assert Appeal.objects.get().state == Appeal.State.OPEN


def test_deciding_goes_back_only_to_this_site(client, second_moderator, appeal):
    client.force_login(second_moderator)

    response = client.post(
        decide_url(appeal),
        {"decision": "uphold", "note": "It stands.", "next": "https://evil.example/"},
    )

    assert response.url == member_page(appeal.appellant)


def render_decide(case, user) -> str:
    request = RequestFactory().get("/staff/moderation/cases/1/")
    request.user = user
    return render_to_string(
        "moderation/_appeal_decide.html", {"case": case, "user": user}, request=request
    )


def test_the_case_page_offers_the_decision_to_another_moderator(appeal, second_moderator):
    html = render_decide(Case.objects.get(appeal=appeal), second_moderator)

    assert decide_url(appeal) in html
    assert "I was kind." in html


def test_the_case_page_tells_the_acting_moderator_to_leave_it(appeal, moderator):
    html = render_decide(Case.objects.get(appeal=appeal), moderator)

    assert decide_url(appeal) not in html
    assert "another moderator decides the appeal" in html


def test_moderators_filter_by_anyone_who_moderates(moderator, second_moderator, member):
    assert set(audit.moderators()) == {moderator, second_moderator}
