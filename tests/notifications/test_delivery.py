"""How notifications reach members: per their preference, by email only with consent
(checked at send time), once, in their language, and never about what they may no
longer see. A broker outage delays email but loses nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import services as community
from community.models import Answer, Question, Visibility
from notifications import email, presentation, services, tasks
from notifications.models import EmailState, Kind, Notification
from tests.factories import UserFactory, make_answer, make_question
from tests.notifications.conftest import DIGEST_HOUR, SITE, emails_ok, emails_withdrawn, prefer

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(asker, helper, forum, django_capture_on_commit_callbacks):
    """Answers the asker's question; returns a function doing it again, sending email."""

    def answer(body: str = "Hold the reset button for ten seconds.") -> Notification:
        question = make_question(author=asker, forum=forum)
        with django_capture_on_commit_callbacks(execute=True):
            made = make_answer(question=question, author=helper, body=body)
        return Notification.objects.filter(answer=made).first()

    return answer


# --- Preferences ---------------------------------------------------------------------------


def test_email_is_the_default_for_an_answer_and_is_sent_after_commit(asker, answered):
    notification = answered()

    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None
    [message] = mail.outbox
    assert message.to == [asker.email]
    assert "Hugo Helper answered your question" in message.subject
    assert "Hold the reset button" in message.body
    assert f"{SITE}/a/{notification.answer_id}/" in message.body


def test_off_writes_nothing(asker, answered):
    prefer(asker, answer="off")

    assert answered() is None
    assert mail.outbox == []


def test_in_app_writes_the_row_without_email(asker, answered):
    prefer(asker, answer="in_app")

    notification = answered()

    assert notification.email_state == EmailState.NONE
    assert mail.outbox == []


def test_digest_keeps_the_row_for_the_digest(asker, answered):
    prefer(asker, answer="digest")

    assert answered().email_state == EmailState.DIGEST
    assert mail.outbox == []


def test_choosing_the_default_keeps_no_preference_row(asker):
    prefer(asker, answer="off")
    prefer(asker, answer="email")

    assert not asker.notification_preferences.exists()


# --- Checked at send time ------------------------------------------------------------------


def test_consent_withdrawn_after_writing_skips_the_email(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)
    emails_withdrawn(asker)

    tasks.send_email(Notification.objects.get().pk)

    assert Notification.objects.get().email_state == EmailState.SKIPPED
    assert mail.outbox == []
    assert answer.pk


def test_service_email_needs_no_community_consent(db):
    member = UserFactory()
    services.notify(recipient=member, kind=Kind.PAYOUT, key="payout:test", data={})

    tasks.send_email(Notification.objects.get().pk)

    assert len(mail.outbox) == 1


def test_content_hidden_after_writing_skips_the_email(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.HIDDEN)

    tasks.send_email(Notification.objects.get().pk)

    assert Notification.objects.get().email_state == EmailState.SKIPPED
    assert mail.outbox == []


def test_a_member_deactivated_after_writing_gets_no_email(asker, helper, forum):
    make_answer(question=make_question(author=asker, forum=forum), author=helper)
    asker.is_active = False
    asker.save()

    tasks.send_email(Notification.objects.get().pk)

    assert mail.outbox == []


def test_the_task_run_twice_sends_one_email(asker, helper, forum):
    make_answer(question=make_question(author=asker, forum=forum), author=helper)
    pk = Notification.objects.get().pk

    tasks.send_email(pk)
    tasks.send_email(pk)
    tasks.send_email(pk + 1000)  # gone: nothing to do

    assert len(mail.outbox) == 1


def test_a_broker_outage_leaves_the_row_pending_and_the_sweep_sends_it(
    asker, answered, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.send_email, "delay", broker_down)
        notification = answered()  # the request does not fail
    assert notification.email_state == EmailState.PENDING
    assert mail.outbox == []

    later = timezone.now() + email.LOST_AFTER + timedelta(seconds=1)
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)
    tasks.email_sweep()

    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_recent_pending_rows_to_their_task(asker, helper, forum):
    make_answer(question=make_question(author=asker, forum=forum), author=helper)

    assert email.pending_lost(now=timezone.now()) == []


# --- Rendering ----------------------------------------------------------------------------


def test_the_email_is_in_the_members_language(asker, answered):
    asker.language = "de"
    asker.save()

    answered()

    [message] = mail.outbox
    assert 'lang="de"' in message.alternatives[0][0]


def test_a_payout_email_formats_the_amount_for_a_german_member(db):
    member = UserFactory(language="de")
    services.notify(
        recipient=member,
        kind=Kind.PAYOUT,
        key="payout:de",
        data={"points": 123456, "amount_cents": 123456, "currency": "EUR"},
    )

    tasks.send_email(member.notifications.get().pk)

    [message] = mail.outbox
    assert "EUR 1.234,56" in message.subject
    assert "EUR 1.234,56" in message.body


def test_every_email_has_plain_text_html_and_one_click_unsubscribe(asker, answered):
    answered(body="Try <b>this</b> & that, it helps.")

    [message] = mail.outbox
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert "&lt;b&gt;this&lt;/b&gt; &amp; that" in html  # escaped, never raw user HTML
    assert "Try <b>this</b> & that" in message.body


def test_an_accepted_answer_email_names_the_points(
    asker, helper, forum, django_capture_on_commit_callbacks
):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        community.answer_accept(answer=answer, by=asker)

    [message] = mail.outbox
    assert message.to == [helper.email]
    assert "+50 points" in message.subject


# --- The daily digest -----------------------------------------------------------------------


def _digest_waiting(user, count: int = 2) -> None:
    prefer(user, answer="digest")
    question = make_question(author=user)
    for n in range(count):
        make_answer(question=question, body=f"Answer number {n} to your question.")


def test_the_digest_goes_to_members_whose_local_hour_it_is(db):
    berlin = emails_ok(UserFactory(time_zone="Europe/Berlin"))
    tokyo = emails_ok(UserFactory(time_zone="Asia/Tokyo"))
    _digest_waiting(berlin)
    _digest_waiting(tokyo)
    # 06:00 UTC in January is 07:00 in Berlin and 15:00 in Tokyo
    now = datetime(2026, 1, 15, DIGEST_HOUR - 1, 0, tzinfo=UTC)

    assert email.digest_due(now=now) == [berlin.pk]
    assert email.digest_due(now=now + timedelta(hours=16)) == [tokyo.pk]  # 07:00 next day


def test_the_digest_is_one_email_with_every_waiting_notification_sent_once(db):
    member = emails_ok(UserFactory(time_zone="Europe/Berlin"))
    _digest_waiting(member, count=3)

    tasks.send_digest(member.pk)
    tasks.send_digest(member.pk)

    [message] = mail.outbox
    assert "3 notifications" in message.subject
    assert message.body.count("answered your question") == 3
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert set(member.notifications.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_the_digest_skips_community_news_without_consent(db):
    member = UserFactory(time_zone="Europe/Berlin")
    _digest_waiting(member)
    prefer(member, payout="digest")
    services.notify(recipient=member, kind=Kind.PAYOUT, key="payout:digest", data={})

    email.digest_send(user_id=member.pk)

    [message] = mail.outbox
    assert "1 notification" in message.subject
    assert member.notifications.filter(email_state=EmailState.SKIPPED).count() == 2


def test_the_digest_hour_is_a_setting(db, settings):
    member = emails_ok(UserFactory(time_zone="UTC"))
    _digest_waiting(member)
    settings.PEERDESK = {**settings.PEERDESK, "DIGEST_HOUR": 18}

    assert email.digest_due(now=datetime(2026, 1, 15, 18, 30, tzinfo=UTC)) == [member.pk]


# --- Moderation decisions -------------------------------------------------------------------


def _decision(answer, **data) -> Notification:
    return services.notify(
        recipient=answer.author,
        kind=Kind.MODERATION,
        key=f"moderation:{answer.pk}",
        question=answer.question,
        answer=answer,
        data={"action": "hide", "reason": "Spam", "url": "/moderation/1/"} | data,
    )


def test_a_decision_about_hidden_content_still_reaches_its_author_without_the_text(
    asker, helper, forum
):
    answer = make_answer(
        question=make_question(author=asker, forum=forum), author=helper, body="Call 0171 1234567"
    )
    Answer.objects.filter(pk=answer.pk).update(visibility=Visibility.HIDDEN)
    answer.refresh_from_db()

    tasks.send_email(_decision(answer).pk)

    [message] = [m for m in mail.outbox if m.to == [helper.email]]
    assert "A moderator hid your post in “How do I reset my router?”" in message.subject
    assert "Spam" in message.body
    assert f"{SITE}/moderation/1/" in message.body
    assert "0171" not in message.body


def test_a_decision_in_a_thread_hidden_since_names_no_title(asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)
    Question.objects.filter(pk=answer.question_id).update(visibility=Visibility.REMOVED)
    notification = _decision(answer)
    notification.refresh_from_db()

    assert presentation.summary(notification) == "A moderator made a decision about your content"
    assert presentation.link(notification) == "/moderation/1/"


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_an_email_in_text_and_html(kind, asker, helper, forum):
    answer = make_answer(question=make_question(author=asker, forum=forum), author=helper)
    Notification.objects.all().delete()
    prefer(asker, **{kind: "email"})

    notification = services.notify(
        recipient=asker,
        kind=kind,
        key=f"all:{kind}",
        actor=helper,
        question=answer.question,
        answer=answer,
        data={"points": 5, "amount_cents": 150, "currency": "EUR"},
    )
    tasks.send_email(notification.pk)

    [message] = mail.outbox
    assert message.subject.startswith("[Peerdesk] ")
    assert "Hello Alma Asker" in message.body
    assert "Hello Alma Asker" in message.alternatives[0][0]
