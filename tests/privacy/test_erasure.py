import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from accounts import roles
from accounts.customer_link import services as customer_link
from accounts.models import ApiToken, User
from accounts.services import avatar_set
from billing.gdpr import pseudonym
from billing.models import LocalCredit, LocalMessage
from community import services as community
from community.models import Answer, Comment, Follow, Question, Revision, SolvedToo, Vote
from core.errors import Conflict
from insights.models import ContactRequest
from privacy.erasure import services as erasure
from privacy.erasure import tasks
from privacy.models import ConsentRecord, PrivacyRequest
from privacy.requests import request_open
from rewards.bounties import services as bounties
from rewards.fraud import household
from rewards.ledger.check import ledger_differences
from rewards.models import HouseholdSignal, PointsAccount, Settlement
from rewards.settlement.services import settlement_run, settlements_send
from tests.factories import ForumFactory, UserFactory, api_key, make_answer, make_question
from tests.rewards.settlement_helpers import earn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PASSWORD = "correct-horse-battery"
EMAIL = "erin.erasable@example.com"
NAME = "Erin Erasable"
BIO_PHRASE = "zebra-violin-lighthouse"
CUSTOMER = "WF77001234"
State = PrivacyRequest.State
TEXT_LIKE = {"TextField", "CharField", "JSONField"}


@pytest.fixture
def erin(db):
    return UserFactory(
        email=EMAIL,
        display_name=NAME,
        bio=f"I say {BIO_PHRASE}.",
        location="Bonn",
        date_joined=timezone.now() - timedelta(days=400),
    )


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), "teal").save(out, "PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def _rich_member(erin, other_member):
    """Erin with data in every table that can hold a member's data."""
    avatar_set(user=erin, upload=_png())
    EmailAddress.objects.create(user=erin, email=EMAIL, verified=True, primary=True)
    app = SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="s")
    account = SocialAccount.objects.create(
        user=erin, provider="google", uid="g-1", extra_data={"email": EMAIL, "name": NAME}
    )
    SocialToken.objects.create(app=app, account=account, token="tok")
    Authenticator.objects.create(user=erin, type=Authenticator.Type.TOTP, data={"secret": "S"})
    api_key(erin)
    forum = ForumFactory()
    own_question = make_question(author=erin, forum=forum)
    community.question_edit(
        question=own_question, by=erin, title=own_question.title, body="Edited: " * 5
    )
    others_question = make_question(author=other_member, forum=forum)
    answer = make_answer(question=others_question, author=erin)
    community.answer_edit(answer=answer, by=erin, body="A better answer than before.")
    community.comment_create(answer=answer, author=erin, body="Thanks, that helps.")
    community.answer_accept(answer=answer, by=other_member)
    community.vote_cast(user=erin, post=others_question)
    community.vote_cast(user=other_member, post=answer)
    community.solved_too_mark(question=others_question, user=erin)
    community.follow_start(user=erin, target=others_question)
    community.follow_start(user=erin, target=forum)
    ContactRequest.objects.create(
        user=erin, name=NAME, email=EMAIL, subject="Help", message=f"I say {BIO_PHRASE}."
    )
    export = request_open(user=erin, kind=PrivacyRequest.Kind.EXPORT, state=State.READY)
    name = storages["exports"].save("exports/erin.zip", ContentFile(b"zip"))
    PrivacyRequest.objects.filter(pk=export.pk).update(file_name=name)
    LogEntry.objects.log_actions(
        user_id=other_member.pk, queryset=[erin], action_flag=CHANGE, change_message="[]"
    )
    _points_and_payout(erin, own_question)
    return {"question": own_question, "others_question": others_question, "answer": answer}


def _points_and_payout(erin, question) -> None:
    """A verified customer number (its code sent through the local gateway), household
    signals, a bounty, and a payout credited through the local gateway."""
    link = customer_link.customer_link_start(user=erin, customer_number=CUSTOMER)
    lead = UserFactory(role=roles.SUPPORT_LEADS)
    customer_link.customer_link_confirm_by_staff(link=link, by=lead)
    household.household_record(
        user=erin, ip="84.150.1.2", user_agent="Firefox", accept_language="de"
    )
    earn(erin, 700)
    bounties.bounty_offer(question=question, by=erin, points=100, days=7)
    run = settlement_run(key="erasure-test", enqueue=False)
    settlements_send(ids=list(run.settlements.values_list("pk", flat=True)))


def _text_hits(*needles: str) -> list[str]:
    """Every text, char and JSON column of every table (the search index's terms too)
    that contains one of the needles."""
    hits = []
    patterns = [f"%{needle}%" for needle in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.data_types_reverse.get(column.type_code)
                if kind not in TEXT_LIKE:
                    continue
                table_sql, column_sql = (connection.ops.quote_name(n) for n in (table, column.name))
                cursor.execute(
                    # Names come from introspection and are quoted.
                    f"SELECT count(*) FROM {table_sql} WHERE {column_sql}::text ILIKE ANY(%s)",  # noqa: S608
                    [patterns],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_the_scan_finds_the_member_before_erasure(erin, other_member):
    _rich_member(erin, other_member)

    assert set(_text_hits(EMAIL, NAME, BIO_PHRASE, CUSTOMER)) == {
        "accounts_user.email",
        "accounts_user.display_name",
        "accounts_user.bio",
        "account_emailaddress.email",
        "socialaccount_socialaccount.extra_data",
        "django_admin_log.object_repr",
        "accounts_customeraccountlink.customer_number",
        "billing_localmessage.customer_number",
        "billing_localcredit.customer_number",
        "rewards_settlement.customer_number",
        "insights_contactrequest.name",
        "insights_contactrequest.email",
        "insights_contactrequest.message",
    }


def test_erasing_leaves_no_trace_of_the_member_in_any_text_column(erin, other_member):
    _rich_member(erin, other_member)

    erasure.erase_now(user=erin)

    assert _text_hits(EMAIL, NAME, BIO_PHRASE, CUSTOMER) == []


def test_erasing_keeps_the_bookkeeping_pseudonymised(erin, other_member):
    _rich_member(erin, other_member)
    account = PointsAccount.objects.get(user=erin)
    balance, entries = account.balance, account.entries.count()

    erasure.erase_now(user=erin)

    account.refresh_from_db()
    assert account.user is None and account.pseudonym.startswith("erased-")
    assert (account.balance, account.entries.count()) == (balance, entries)
    (settlement,) = Settlement.objects.filter(account=account)
    assert settlement.customer_number == pseudonym(CUSTOMER)
    assert LocalCredit.objects.get(key=settlement.key).customer_number == pseudonym(CUSTOMER)
    assert not LocalMessage.objects.exists()
    assert not HouseholdSignal.objects.exists()
    assert list(ledger_differences()) == []


# Each table that holds rows of a member, with the lookup from a row to the member.
OWNED_ROWS = {
    EmailAddress: "user",
    SocialAccount: "user",
    SocialToken: "account__user",
    Authenticator: "user",
    ApiToken: "user",
    Follow: "user",
    Vote: "user",
}


def test_erasing_deletes_account_data_and_keeps_posts_unattributed(erin, other_member):
    data = _rich_member(erin, other_member)
    consents = ConsentRecord.objects.filter(user=erin).count()
    others = {
        model: model.objects.exclude(**{lookup: erin}).count()
        for model, lookup in OWNED_ROWS.items()
    }
    assert all(
        model.objects.filter(**{lookup: erin}).exists() for model, lookup in OWNED_ROWS.items()
    )

    erasure.erase_now(user=erin)

    assert not User.objects.filter(email=EMAIL).exists()
    assert {model: model.objects.count() for model in OWNED_ROWS} == others
    assert Question.objects.get(pk=data["question"].pk).author is None
    assert Answer.objects.get(pk=data["answer"].pk).author is None
    assert Comment.objects.get(answer=data["answer"]).author is None
    assert not Revision.objects.exclude(editor=None).exists()
    assert ConsentRecord.objects.filter(user=None).count() == consents


def test_erasing_deletes_avatar_and_export_files_after_commit(
    erin, other_member, media_root, exports_root, django_capture_on_commit_callbacks
):
    _rich_member(erin, other_member)
    assert [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in exports_root.rglob("*") if p.is_file()] == ["erin.zip"]

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_now(user=erin)

    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert [p for p in exports_root.rglob("*") if p.is_file()] == []
    export = PrivacyRequest.objects.get(kind=PrivacyRequest.Kind.EXPORT)
    assert (export.state, export.file_name, export.user) == (State.EXPIRED, "", None)


def test_erasing_recounts_kudos_and_keeps_solved_too_marks_anonymous(erin, other_member):
    data = _rich_member(erin, other_member)

    erasure.erase_now(user=erin)

    question = Question.objects.get(pk=data["others_question"].pk)
    assert question.vote_score == 0
    assert Answer.objects.get(pk=data["answer"].pk).vote_score == 1
    mark = SolvedToo.objects.get(question=question)
    assert mark.user is None and len(mark.session_hash) == 64
    assert question.solved_too_count == 1


def test_other_members_data_is_untouched(erin, other_member):
    _rich_member(erin, other_member)
    other_member.bio = "Bernd's bio"
    other_member.save()

    erasure.erase_now(user=erin)

    other_member.refresh_from_db()
    assert (other_member.bio, other_member.is_active) == ("Bernd's bio", True)
    assert Question.objects.filter(author=other_member).count() == 1
    assert ConsentRecord.objects.filter(user=other_member).exists()


def test_delete_posts_keeps_only_accepted_answers_anonymised(erin, other_member):
    data = _rich_member(erin, other_member)
    second = make_question(author=other_member, forum=data["question"].forum)
    unaccepted = make_answer(question=second, author=erin)

    erasure.erase_now(user=erin, delete_posts=True)

    assert not Question.objects.filter(pk=data["question"].pk).exists()
    assert not Answer.objects.filter(pk=unaccepted.pk).exists()
    assert not Comment.objects.exists()
    assert Answer.objects.get(pk=data["answer"].pk).author is None
    second.refresh_from_db()
    assert second.answer_count == 0
    forum = second.forum
    forum.refresh_from_db()
    assert (forum.question_count, forum.answer_count) == (2, 1)


def test_erasure_run_twice_changes_nothing_the_second_time(erin, other_member):
    _rich_member(erin, other_member)
    request = erasure.erasure_request(user=erin, password=PASSWORD)

    erasure.erasure_run(request_id=request.pk)
    erasure.erasure_run(request_id=request.pk)

    request.refresh_from_db()
    assert request.state == State.DONE
    assert list(request.events.values_list("state", flat=True)) == [State.SCHEDULED, State.DONE]


def test_a_request_deactivates_at_once_and_schedules_after_the_grace_period(erin, mailoutbox):
    before = timezone.now()

    with_callbacks = erasure.erasure_request(user=erin, password=PASSWORD)

    erin.refresh_from_db()
    assert erin.is_active is False
    assert with_callbacks.state == State.SCHEDULED
    assert with_callbacks.act_after >= before + timedelta(days=14)


def test_a_request_emails_a_cancel_link(erin, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = erasure.erasure_request(user=erin, password=PASSWORD)

    assert mailoutbox[0].to == [EMAIL]
    # The token's timestamp has a resolution of seconds: read it back from the link.
    token = re.search(r"/privacy/erasure/cancel/([^/\s]+)/", mailoutbox[0].body).group(1)
    assert signing.loads(token, salt=erasure.CANCEL_SALT) == {"request": request.pk}


def test_the_grace_period_comes_from_settings(erin, settings):
    settings.PRIVACY_ERASURE_GRACE_DAYS = 3

    request = erasure.erasure_request(user=erin, password=PASSWORD)

    assert abs(request.act_after - request.requested_at - timedelta(days=3)) < timedelta(seconds=1)


def test_a_wrong_password_changes_nothing(erin):
    with pytest.raises(ValidationError) as error:
        erasure.erasure_request(user=erin, password="wrong")

    assert "password" in error.value.message_dict
    erin.refresh_from_db()
    assert erin.is_active is True
    assert not PrivacyRequest.objects.filter(kind=PrivacyRequest.Kind.ERASURE).exists()


def test_a_second_request_during_grace_is_a_conflict(erin):
    erasure.erasure_request(user=erin, password=PASSWORD)

    with pytest.raises(Conflict):
        erasure.erasure_request(user=erin, password=PASSWORD)


def test_the_cancel_link_reactivates_the_account(erin, client):
    request = erasure.erasure_request(user=erin, password=PASSWORD)
    url = f"/privacy/erasure/cancel/{erasure.cancel_token(request)}/"

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    erin.refresh_from_db()
    request.refresh_from_db()
    assert (erin.is_active, request.state) == (True, State.CANCELLED)
    assert erasure.erasure_due_sweep() == []


def test_an_expired_cancel_link_changes_nothing(erin, client, settings):
    request = erasure.erasure_request(user=erin, password=PASSWORD)
    token = erasure.cancel_token(request)
    settings.PRIVACY_ERASURE_GRACE_DAYS = 0

    response = client.post(f"/privacy/erasure/cancel/{token}/")

    assert response.status_code == 400
    erin.refresh_from_db()
    assert erin.is_active is False


def test_a_forged_cancel_link_is_refused(erin, client):
    erasure.erasure_request(user=erin, password=PASSWORD)

    assert client.post("/privacy/erasure/cancel/forged:token/").status_code == 400


def test_the_sweep_runs_only_requests_whose_grace_ended(erin, other_member):
    due = erasure.erasure_request(user=erin, password=PASSWORD)
    waiting = erasure.erasure_request(user=other_member, password=PASSWORD)
    PrivacyRequest.objects.filter(pk=due.pk).update(act_after=timezone.now())

    assert erasure.erasure_due_sweep() == [due.pk]

    assert not User.objects.filter(pk=erin.pk).exists()
    assert User.objects.filter(pk=other_member.pk).exists()
    waiting.refresh_from_db()
    assert waiting.state == State.SCHEDULED


def test_staff_erase_at_once_and_the_log_keeps_a_pseudonymous_subject(erin, moderator):
    erasure.erase_now(user=erin, by=moderator)

    request = PrivacyRequest.objects.get(kind=PrivacyRequest.Kind.ERASURE)
    assert (request.state, request.user) == (State.DONE, None)
    assert request.subject.startswith("member-")
    assert request.finished_at - request.requested_at < timedelta(minutes=1)


def test_staff_erasure_runs_a_scheduled_request_at_once(erin):
    make_answer(author=erin)
    scheduled = erasure.erasure_request(user=erin, password=PASSWORD, delete_posts=True)

    erasure.erase_now(user=erin)

    scheduled.refresh_from_db()
    assert scheduled.state == State.DONE
    assert not Answer.objects.exists()


def test_the_erase_member_command_erases(erin, other_member):
    data = _rich_member(erin, other_member)
    make_answer(author=erin)

    call_command("erase_member", EMAIL.upper(), "--delete-posts", stdout=io.StringIO())

    assert not User.objects.filter(pk=erin.pk).exists()
    assert list(Answer.objects.values_list("pk", flat=True)) == [data["answer"].pk]


def test_the_erase_member_command_refuses_an_unknown_email(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("erase_member", "nobody@example.com")


def test_database_sessions_of_the_member_are_deleted(erin, other_member, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    for user in (erin, other_member):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session.create()

    erasure.erase_now(user=erin)

    remaining = [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()]
    assert remaining == [str(other_member.pk)]


def test_the_admin_log_about_the_member_keeps_the_action_without_the_name(erin, other_member):
    LogEntry.objects.log_actions(
        user_id=other_member.pk, queryset=[erin], action_flag=CHANGE, change_message="[]"
    )

    erasure.erase_now(user=erin)

    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(User))
    assert entry.object_repr == erasure.DELETED_MEMBER


def test_the_page_asks_for_the_password_and_explains_what_is_kept(erin, client):
    client.force_login(erin)

    response = client.get("/privacy/erasure/")

    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert b"Art. 17(3)(b)" in response.content


def test_the_page_schedules_erasure_and_logs_out(erin, client):
    client.force_login(erin)

    response = client.post("/privacy/erasure/", {"password": PASSWORD, "delete_posts": "on"})

    assert response.status_code == 200
    request = PrivacyRequest.objects.get(kind=PrivacyRequest.Kind.ERASURE)
    assert request.events.filter(note=erasure.DELETE_POSTS_NOTE).exists()
    assert client.get("/privacy/erasure/").status_code == 302


def test_the_page_with_a_wrong_password_shows_an_error(erin, client):
    client.force_login(erin)

    response = client.post("/privacy/erasure/", {"password": "wrong"})

    assert response.status_code == 400
    assert b'role="alert"' in response.content
    erin.refresh_from_db()
    assert erin.is_active is True


def test_the_api_schedules_erasure(erin, api_client):
    api_client.force_authenticate(erin)

    response = api_client.post(
        "/api/v1/me/erasure/", {"password": PASSWORD, "delete_posts": False}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["state"] == State.SCHEDULED


def test_the_api_refuses_a_wrong_password(erin, api_client):
    api_client.force_authenticate(erin)

    response = api_client.post("/api/v1/me/erasure/", {"password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_the_api_is_declared_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    responses = schema["paths"]["/api/v1/me/erasure/"]["post"]["responses"]
    assert {"202", "400", "401", "409"} <= set(responses)


def test_the_api_needs_a_login(api_client):
    response = api_client.post("/api/v1/me/erasure/", {"password": "x"}, format="json")

    assert response.status_code == 401


def test_the_api_answers_409_while_an_erasure_is_scheduled(erin, api_client):
    erasure.erasure_request(user=erin, password=PASSWORD)
    erin.is_active = True  # force_authenticate skips the active check
    api_client.force_authenticate(erin)

    response = api_client.post("/api/v1/me/erasure/", {"password": PASSWORD}, format="json")

    assert response.status_code == 409


def test_the_run_task_is_enqueued_after_commit(erin, django_capture_on_commit_callbacks):
    request = erasure.erasure_request(user=erin, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.erasure_run_on_commit(request.pk)

    assert len(callbacks) == 1
    request.refresh_from_db()
    assert request.state == State.DONE


def test_a_broker_error_is_logged_not_raised(
    erin, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.erasure_run, "delay", broken)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.erasure_run_on_commit(1)

    assert "Could not enqueue" in caplog.text


def test_staff_erase_a_member_from_the_admin_after_confirming(client, member):
    from tests.factories import with_totp

    client.force_login(with_totp(User.objects.create_superuser("dpo@example.com", "pw")))
    url = "/admin/accounts/user/"
    chosen = {"action": "erase_now", "_selected_action": [member.pk]}

    asked = client.post(url, chosen)
    assert asked.status_code == 200
    assert User.objects.filter(pk=member.pk).exists()

    client.post(url, {**chosen, "confirm": "yes"})
    assert not User.objects.filter(pk=member.pk).exists()


def _log_in(client, password=PASSWORD):
    return client.post("/accounts/login/", {"login": EMAIL, "password": password})


def test_logging_in_during_the_grace_period_tells_when_and_offers_to_keep_the_account(erin, client):
    request = erasure.erasure_request(user=erin, password=PASSWORD)

    page = _log_in(client)

    text = page.content.decode()
    assert page.status_code == 200
    assert "Your account is waiting to be erased" in text
    local = request.act_after.astimezone(ZoneInfo(erin.time_zone))
    assert f'datetime="{local.isoformat()}"' in text
    assert "in 1\xa0week, 6\xa0days" in text
    cancel = re.search(r'<form method="post" action="(/privacy/erasure/cancel/[^"]+/)"', text)[1]
    assert client.post(cancel).status_code == 302
    erin.refresh_from_db()
    assert erin.is_active
    assert _log_in(client).status_code == 302


def test_the_erasure_notice_is_in_german_for_german_speakers(erin, client):
    erasure.erasure_request(user=erin, password=PASSWORD)

    page = client.post(
        "/accounts/login/",
        {"login": EMAIL, "password": PASSWORD},
        headers={"accept-language": "de"},
    )

    text = page.content.decode()
    assert "Dein Konto wartet auf die Löschung" in text
    assert "Konto behalten" in text


def test_a_wrong_password_does_not_reveal_a_pending_erasure(erin, client):
    erasure.erasure_request(user=erin, password=PASSWORD)

    page = _log_in(client, password="not-the-password")

    assert page.status_code == 200
    assert "erase" not in page.content.decode().lower()
    assert "/privacy/erasure/cancel/" not in page.content.decode()


def test_an_inactive_account_without_an_erasure_gets_the_general_notice(erin, client):
    User.objects.filter(pk=erin.pk).update(is_active=False)

    page = client.get(_log_in(client)["Location"])

    assert "This account is inactive." in page.content.decode()
    assert "/privacy/erasure/cancel/" not in page.content.decode()


def test_the_cancel_link_shows_when_the_erasure_happens(erin, client):
    request = erasure.erasure_request(user=erin, password=PASSWORD)

    page = client.get(f"/privacy/erasure/cancel/{erasure.cancel_token(request)}/")

    assert "It is scheduled for erasure on" in page.content.decode()
    assert client.get("/privacy/erasure/cancel/forged:token/").status_code == 400
