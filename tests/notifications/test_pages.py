"""The bell, the list, marking read and the preferences page; the member's language and
time zone on the settings page."""

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from accounts.forms import DeliveryForm
from community import services as community
from community.models import Question, Visibility
from core.forms import LongSelect
from notifications import selectors, services
from notifications.models import Kind, Notification
from notifications.selectors import UNREAD_CAP
from tests.factories import UserFactory, make_answer, make_question
from tests.notifications.conftest import emails_ok

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def answers_for(member, count: int = 1) -> list[Notification]:
    question = make_question(author=member, title="Why is my router blinking?")
    for _ in range(count):
        make_answer(question=question)
    return list(Notification.objects.filter(recipient=member).order_by("pk"))


def test_the_bell_shows_the_unread_count(member_client, member):
    answers_for(member, count=3)

    response = member_client.get("/")

    assert '<span class="bell-count" aria-hidden="true">3</span>' in response.content.decode()


def test_the_unread_count_is_one_query(member, django_assert_num_queries):
    answers_for(member, count=3)

    with django_assert_num_queries(1):
        assert selectors.unread_count(user=member) == 3


def test_the_kept_count_follows_every_notification_written_or_read(
    member, django_assert_num_queries
):
    first, second = answers_for(member, count=2)
    assert selectors.unread_count(user=member) == 2
    with django_assert_num_queries(0):  # kept: every page a member reads shows it
        assert selectors.unread_count(user=member) == 2

    services.notify(recipient=member, kind=Kind.PAYOUT, key="payout:1", data={})
    assert selectors.unread_count(user=member) == 3
    services.notification_mark_read(user=member, notification_id=first.pk)
    assert selectors.unread_count(user=member) == 2
    follower = UserFactory()
    community.follow_start(user=follower, target=second.question.forum)
    assert selectors.unread_count(user=follower) == 0
    question = make_question(forum=second.question.forum, title="Roaming in Norway?")
    services.forum_question_fan_out(question_id=question.pk)
    assert selectors.unread_count(user=follower) == 1
    services.notifications_mark_all_read(user=member)
    assert selectors.unread_count(user=member) == 0


def test_the_bell_caps_the_count(member_client, member):
    for n in range(UNREAD_CAP + 1):
        services.notify(recipient=member, kind=Kind.PAYOUT, key=f"payout:{n}", data={})

    response = member_client.get("/")

    assert f">{UNREAD_CAP - 1}+</span>" in response.content.decode()


def test_visitors_have_no_bell(client):
    assert "notification-bell" not in client.get("/").content.decode()


def test_the_list_shows_the_members_notifications_unread_first_highlighted(
    member_client, member, other_member
):
    [first, second] = answers_for(member, count=2)
    answers_for(other_member)
    services.notification_mark_read(user=member, notification_id=first.pk)

    page = member_client.get(LIST).content.decode()

    assert page.count('class="notification notification-unread"') == 1
    assert page.count('class="notification"') == 1
    assert f'href="/a/{second.answer_id}/"' in page
    assert "answered your question “Why is my router blinking?”" in page
    assert page.count('<li id="notification-') == 2


def test_the_list_has_a_constant_number_of_queries(
    member_client, member, django_assert_max_num_queries
):
    answers_for(member, count=2)
    member_client.get(LIST)
    answers_for(member, count=15)

    with django_assert_max_num_queries(7):
        member_client.get(LIST)


def test_content_hidden_since_shows_nothing_of_it(member_client, member):
    [notification] = answers_for(member)
    Question.objects.filter(pk=notification.question_id).update(visibility=Visibility.REMOVED)
    other = make_question(title="A secret title nobody may read")
    Question.objects.filter(pk=other.pk).update(visibility=Visibility.HIDDEN)
    services.notify(recipient=member, kind=Kind.FORUM_QUESTION, key="fq", question=other)

    page = member_client.get(LIST).content.decode()

    assert "A secret title nobody may read" not in page
    assert "This content is no longer available" in page


def test_marking_one_read_with_htmx_swaps_the_entry_and_the_bell(member_client, member):
    [notification] = answers_for(member)

    response = member_client.post(f"{LIST}{notification.pk}/read/", HTTP_HX_REQUEST="true")

    notification.refresh_from_db()
    assert notification.read_at is not None
    body = response.content.decode()
    assert 'class="notification"' in body
    assert 'hx-swap-oob="true"' in body
    assert "bell-count" not in body


def test_marking_without_htmx_goes_back_to_the_list(member_client, member):
    [notification] = answers_for(member)

    response = member_client.post(f"{LIST}{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == LIST


def test_another_members_notification_cannot_be_marked(member_client, other_member):
    [theirs] = answers_for(other_member)

    response = member_client.post(f"{LIST}{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(member_client, member, other_member):
    answers_for(member, count=2)
    [theirs] = answers_for(other_member)

    member_client.post(f"{LIST}read-all/")

    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_needs_a_login(client):
    assert client.get(LIST).status_code == 302


def test_the_preferences_page_saves_a_channel_per_kind(member_client, member):
    page = member_client.get(f"{LIST}preferences/").content.decode()
    assert "Daily digest" in page
    assert "unanswered question was escalated" not in page  # staff only
    choices = {kind: "in_app" for kind in Kind.values if kind != Kind.ESCALATION} | {
        Kind.ANSWER: "digest",
        Kind.MENTION: "off",
    }

    response = member_client.post(f"{LIST}preferences/", choices)

    assert response.status_code == 302
    saved = dict(member.notification_preferences.values_list("kind", "channel"))
    assert saved[Kind.ANSWER] == "digest"
    assert saved[Kind.MENTION] == "off"
    assert Kind.FORUM_QUESTION not in saved  # in_app is its default


def test_the_preferences_page_refuses_an_unknown_channel(member_client, member):
    choices = {kind: "email" for kind in Kind.values if kind != Kind.ESCALATION}

    response = member_client.post(f"{LIST}preferences/", choices | {Kind.ANSWER: "pigeon"})

    assert response.status_code == 200
    assert not member.notification_preferences.exists()


def test_the_preferences_page_says_when_email_consent_is_missing(member_client, member):
    page = member_client.get(f"{LIST}preferences/").content.decode()
    assert "/privacy/" in page and "not agreed to emails" in page

    emails_ok(member)

    assert "not agreed to emails" not in member_client.get(f"{LIST}preferences/").content.decode()


# --- Language and time zone on the settings page -----------------------------------------


SETTINGS = "/members/me/settings/"


def test_the_member_sets_the_language_and_time_zone_of_emails(member_client, member):
    assert 'name="time_zone"' in member_client.get(SETTINGS).content.decode()

    response = member_client.post(
        SETTINGS, {"section": "delivery", "language": "de", "time_zone": "America/New_York"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.language, member.time_zone) == ("de", "America/New_York")


def test_an_unknown_time_zone_is_refused(member_client, member):
    response = member_client.post(
        SETTINGS, {"section": "delivery", "language": "en", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.time_zone == "Europe/Berlin"


def test_the_display_name_form_still_works(member_client, member):
    member_client.post(SETTINGS, {"display_name": "Anna Renamed"})

    member.refresh_from_db()
    assert member.display_name == "Anna Renamed"


def test_the_time_zone_select_is_the_one_django_would_render(member):
    """LongSelect renders in Python what Select renders with a template per option."""
    field = DeliveryForm().fields["time_zone"]
    attrs = {"id": "id_time_zone", "required": True, "aria-describedby": "id_time_zone_helptext"}

    ours = field.widget.render("time_zone", "Europe/Berlin", attrs)
    django = forms.Select(choices=field.choices).render("time_zone", "Europe/Berlin", attrs)

    assert parse_html(ours) == parse_html(django)
    assert ours.count("<option") > 400
    assert 'value="Europe/Berlin" selected' in ours
    assert "<select" in LongSelect(choices=[("<x>", "<b>")]).render("q", None)
    assert "&lt;b&gt;" in LongSelect(choices=[("<x>", "<b>")]).render("q", None)


def test_a_waiting_bell_gets_a_204_until_its_count_changes(client, member):
    client.force_login(member)
    url = reverse("notifications:bell")
    assert client.get(url, {"shown": ""}).status_code == 204

    answers_for(member, count=2)
    changed = client.get(url, {"shown": ""})

    assert changed.status_code == 200
    assert '<span class="bell-count" aria-hidden="true">2</span>' in changed.content.decode()
    assert 'shown=2"' in changed.content.decode()  # the new bell waits for a change of 2
    assert client.get(url, {"shown": "2"}).status_code == 204


def test_a_visitors_bell_poll_changes_nothing(client):
    assert client.get(reverse("notifications:bell")).status_code == 204
