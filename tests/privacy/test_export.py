import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.utils import timezone

from accounts.models import CustomerAccountLink
from accounts.tokens.services import token_login
from community import services as community
from community.models import Answer
from core.errors import Conflict
from moderation.flags import services as flags
from moderation.models import FlagReason
from privacy.export import services as export
from privacy.export import tasks
from privacy.models import PrivacyRequest
from rewards.fraud import household
from rewards.settlement.services import settlement_run, settlements_send
from tests.factories import UserFactory, make_answer, make_question
from tests.privacy.helpers import token_from_mail
from tests.rewards.settlement_helpers import earn, member_with

State = PrivacyRequest.State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PAGE = "/privacy/export/"
API = "/api/v1/me/export/"


def built(user, django_capture_on_commit_callbacks) -> PrivacyRequest:
    """Requests an export and runs the build the commit enqueues (tasks run eagerly)."""
    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=user)
    request.refresh_from_db()
    return request


def archive(request: PrivacyRequest) -> zipfile.ZipFile:
    with storages["exports"].open(request.file_name, "rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def entry(zf: zipfile.ZipFile, name: str):
    return json.loads(zf.read(name))


def test_the_build_contains_every_file_with_the_members_data_and_nobody_elses(
    member, other_member, forum, django_capture_on_commit_callbacks
):
    # Given a member with data of every kind, and another member's question
    mine = make_question(author=member, forum=forum, title="My router blinks red", tags=["wifi"])
    theirs = make_question(author=other_member, forum=forum, title="Someone else's secret question")
    answer = make_answer(question=theirs, author=member, body="Try the reset button, it helps.")
    community.comment_create(answer=answer, author=member, body="Worked for me last week too.")
    community.question_edit(
        question=mine, by=member, title="My router blinks red at night", body=mine.body
    )
    community.vote_cast(user=member, post=theirs)
    community.follow_start(user=member, target=forum)
    theirs_answer = make_answer(
        question=theirs, author=other_member, body="Another member's answer text here."
    )
    flags.flag_create(flagger=member, target=theirs_answer, reason=FlagReason.SPAM)
    make_answer(question=mine, author=other_member, body="Have you tried turning it off?")
    member.bio, member.avatar = "I like routers.", {"64": "avatars/a-64.webp"}
    member.save()
    default_storage.save("avatars/a-64.webp", ContentFile(b"picture-bytes"))

    # When the export is built
    zf = archive(built(member, django_capture_on_commit_callbacks))

    # Then every file is there with the member's data only
    assert set(zf.namelist()) == {
        "README.txt",
        "profile.json",
        "consents.json",
        "questions.json",
        "answers.json",
        "comments.json",
        "revisions.json",
        "votes.json",
        "solved_too.json",
        "follows.json",
        "customer_accounts.json",
        "customer_number_problems.json",
        "social_logins.json",
        "points_ledger.json",
        "settlements.json",
        "bounties.json",
        "badges.json",
        "household_signals.json",
        "flags.json",
        "moderation_decisions.json",
        "appeals.json",
        "standing.json",
        "notifications.json",
        "notification_preferences.json",
        "invitations.json",
        "contact_requests.json",
        "avatar/64.webp",
    }
    readme = zf.read("README.txt").decode()
    assert all(name in readme for name in zf.namelist() if not name.startswith("avatar/"))
    profile = entry(zf, "profile.json")
    assert profile["email"] == member.email and profile["bio"] == "I like routers."
    assert profile["api_tokens"] == []
    questions = entry(zf, "questions.json")
    assert [(q["title"], q["tags"]) for q in questions] == [
        ("My router blinks red at night", ["wifi"])
    ]
    assert [a["body"] for a in entry(zf, "answers.json")] == ["Try the reset button, it helps."]
    assert [c["body"] for c in entry(zf, "comments.json")] == ["Worked for me last week too."]
    assert entry(zf, "revisions.json")[0]["title_before"] == "My router blinks red"
    votes = entry(zf, "votes.json")
    assert [(v["question_id"], v["answer_id"]) for v in votes] == [(theirs.pk, None)]
    assert forum.slug in [f["forum"] for f in entry(zf, "follows.json")]
    assert {c["purpose"] for c in entry(zf, "consents.json")} >= {"terms", "privacy"}
    assert [f["reason"] for f in entry(zf, "flags.json")] == ["spam"]
    assert [n["question_id"] for n in entry(zf, "notifications.json")] == [mine.pk]
    assert zf.read("avatar/64.webp") == b"picture-bytes"
    everything = b"".join(zf.read(name) for name in zf.namelist())
    assert b"secret question" not in everything
    assert b"Another member" not in everything
    assert other_member.email.encode() not in everything


def test_points_payouts_and_customer_accounts_are_exported(
    other_member, forum, django_capture_on_commit_callbacks
):
    # Given a member who earned points, linked a customer number and was paid out
    earner = member_with(0)
    household.household_record(
        user=earner, ip="84.150.12.34", user_agent="Firefox", accept_language="de"
    )
    question = make_question(author=other_member, forum=forum)
    question.created_at -= timedelta(days=1)
    question.save(update_fields=["created_at"])
    answer = make_answer(question=question, author=earner)
    community.answer_accept(answer=answer, by=other_member)
    earn(earner, 600)
    run = settlement_run(key="export-test", enqueue=False)
    settlements_send(ids=list(run.settlements.values_list("pk", flat=True)))

    # When the export is built
    zf = archive(built(earner, django_capture_on_commit_callbacks))

    # Then the ledger, the payout, the link, the badge and the hashed signals are in it
    ledger_rows = entry(zf, "points_ledger.json")
    assert sorted(row["kind"] for row in ledger_rows) == ["award", "award", "settlement"]
    assert {row["answer_id"] for row in ledger_rows} >= {answer.pk}
    (payout,) = entry(zf, "settlements.json")
    number = CustomerAccountLink.objects.get(user=earner).customer_number
    assert (payout["points"], payout["amount"], payout["state"]) == (600, "6.00", "confirmed")
    assert payout["customer_number"] == number
    assert [link["customer_number"] for link in entry(zf, "customer_accounts.json")] == [number]
    assert [b["badge"] for b in entry(zf, "badges.json")] == ["first-solution"]
    assert {s["kind"] for s in entry(zf, "household_signals.json")} == {"network", "device"}
    everything = b"".join(zf.read(name) for name in zf.namelist())
    assert b"84.150" not in everything


def test_a_marked_solved_too_is_exported(
    member, other_member, forum, django_capture_on_commit_callbacks
):
    question = make_question(author=other_member, forum=forum)
    answer = make_answer(question=question, author=UserFactory())
    community.answer_accept(answer=answer, by=other_member)
    community.solved_too_mark(question=question, user=member)

    zf = archive(built(member, django_capture_on_commit_callbacks))

    assert [s["question_id"] for s in entry(zf, "solved_too.json")] == [question.pk]


def test_the_profile_lists_the_api_tokens_but_never_a_key(
    member, django_capture_on_commit_callbacks
):
    key = token_login(user=member).key

    zf = archive(built(member, django_capture_on_commit_callbacks))

    [token] = entry(zf, "profile.json")["api_tokens"]
    assert (token["name"], token["scopes"]) == ("API login", ["read", "write"])
    assert all(key.encode() not in zf.read(name) for name in zf.namelist())


def test_the_build_streams_a_few_hundred_posts_into_valid_json(
    member, forum, django_capture_on_commit_callbacks
):
    question = make_question(author=member, forum=forum)
    Answer.objects.bulk_create(
        Answer(question=question, author=member, body=f"answer {n}", body_html="")
        for n in range(400)
    )

    zf = archive(built(member, django_capture_on_commit_callbacks))

    answers = entry(zf, "answers.json")
    assert len(answers) == 400
    assert answers[399]["body"] == "answer 399"


def test_a_ready_export_is_emailed_with_a_single_use_link_valid_for_seven_days(
    member, django_capture_on_commit_callbacks
):
    request = built(member, django_capture_on_commit_callbacks)

    assert request.state == State.READY
    assert request.act_after - timezone.now() > timedelta(days=6, hours=23)
    assert mail.outbox[-1].to == [member.email]
    token = token_from_mail()
    assert request.token_hash == export._hash(token) != token
    assert list(request.events.values_list("state", flat=True)) == ["queued", "building", "ready"]


def test_the_member_downloads_the_zip_once(member, client, django_capture_on_commit_callbacks):
    built(member, django_capture_on_commit_callbacks)
    client.force_login(member)
    url = f"{PAGE}download/{token_from_mail()}/"

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(b"".join(first.streaming_content))).testzip() is None
    assert second.status_code == 404
    assert "may have been used already" in second.content.decode()


def test_the_download_needs_a_login(member, client, django_capture_on_commit_callbacks):
    built(member, django_capture_on_commit_callbacks)

    response = client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_member_cannot_download_the_export(
    member, other_member, client, django_capture_on_commit_callbacks
):
    request = built(member, django_capture_on_commit_callbacks)
    client.force_login(other_member)

    response = client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.token_hash  # still usable by its owner


def test_an_expired_link_is_refused(member, client, django_capture_on_commit_callbacks):
    request = built(member, django_capture_on_commit_callbacks)
    PrivacyRequest.objects.filter(pk=request.pk).update(
        act_after=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(member)

    response = client.get(f"{PAGE}download/{token_from_mail()}/")

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_second_request_while_one_runs_is_a_conflict(member):
    export.export_request(user=member)

    with pytest.raises(Conflict, match="already being prepared"):
        export.export_request(user=member)
    assert PrivacyRequest.objects.filter(user=member).count() == 1


def test_at_most_three_exports_a_day(member, django_capture_on_commit_callbacks):
    for _ in range(3):
        built(member, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="at most 3 exports a day"):
        export.export_request(user=member)


def test_running_the_task_twice_builds_once(member, django_capture_on_commit_callbacks):
    request = export.export_request(user=member)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.export_build_task(request.pk)
        tasks.export_build_task(request.pk)

    request.refresh_from_db()
    assert request.events.filter(state=State.READY).count() == 1
    assert len(storages["exports"].listdir("exports")[1]) == 1
    assert len(mail.outbox) == 1


def test_a_broker_outage_does_not_fail_the_request(
    member, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.export_build_task, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        request = export.export_request(user=member)

    request.refresh_from_db()
    assert request.state == State.QUEUED


def test_the_sweep_reenqueues_a_lost_queued_export(member, django_capture_on_commit_callbacks):
    request = export.export_request(user=member)  # its on-commit enqueue never runs: lost
    request.events.update(at=timezone.now() - timedelta(minutes=6))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.privacy_sweep()

    request.refresh_from_db()
    assert request.state == State.READY


def test_the_sweep_leaves_a_fresh_queued_export_alone(member, django_capture_on_commit_callbacks):
    request = export.export_request(user=member)

    with django_capture_on_commit_callbacks(execute=True):
        assert export.exports_requeue_sweep() == 0

    request.refresh_from_db()
    assert request.state == State.QUEUED


def test_the_sweep_expires_old_exports_and_deletes_their_files(
    member, django_capture_on_commit_callbacks
):
    request = built(member, django_capture_on_commit_callbacks)
    name = request.file_name
    PrivacyRequest.objects.filter(pk=request.pk).update(
        act_after=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.privacy_sweep()

    request.refresh_from_db()
    assert request.state == State.EXPIRED
    assert request.file_name == ""
    assert not storages["exports"].exists(name)


def test_the_page_shows_the_state_and_polls_while_building(member_client, member):
    export.export_request(user=member)

    response = member_client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="queued"' in html
    assert 'hx-trigger="every 3s"' in html


def test_the_page_stops_polling_when_the_export_is_ready(
    member_client, member, django_capture_on_commit_callbacks
):
    built(member, django_capture_on_commit_callbacks)

    response = member_client.get(PAGE, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert 'data-state="ready"' in html
    assert "hx-trigger" not in html
    assert "<html" not in html


def test_the_request_button_queues_an_export(member_client, member):
    response = member_client.post(PAGE)

    assert response.status_code == 302
    assert export.export_latest(user=member).state == State.QUEUED


def test_the_request_button_explains_a_running_export(member_client, member):
    export.export_request(user=member)

    response = member_client.post(PAGE, follow=True)

    assert "already being prepared" in response.content.decode()


def test_the_api_answers_201_with_the_state(api_client, member):
    api_client.force_authenticate(member)

    response = api_client.post(API)

    assert response.status_code == 201
    assert response.json()["state"] == "queued"


def test_the_api_answers_409_while_one_runs(api_client, member):
    api_client.force_authenticate(member)
    api_client.post(API)

    response = api_client.post(API)

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_the_api_answers_400_over_the_daily_limit(
    api_client, member, django_capture_on_commit_callbacks
):
    for _ in range(3):
        built(member, django_capture_on_commit_callbacks)
    api_client.force_authenticate(member)

    response = api_client.post(API)

    assert response.status_code == 400
    assert "at most 3 exports a day" in response.json()["detail"]


def test_the_api_answers_401_to_a_visitor(api_client):
    assert api_client.post(API).status_code == 401


def test_an_export_of_a_member_erased_meanwhile_fails_instead_of_waiting_forever(member):
    request = export.export_request(user=member)
    member.delete()

    export.export_build(request_id=request.pk)

    request.refresh_from_db()
    assert request.state == State.FAILED


def test_the_readme_reads_as_plain_text_and_as_markdown(member, django_capture_on_commit_callbacks):
    zf = archive(built(member, django_capture_on_commit_callbacks))

    readme = zf.read("README.txt").decode()

    lines = readme.splitlines()
    assert lines[0] == "Your data from Peerdesk"
    assert set(lines[1]) == {"="}
    assert all(len(line) <= 78 for line in lines)
    items = re.findall(r"^- `([^`]+)`: (\S.*)$", readme, re.MULTILINE)
    described = {name for name, _ in items}
    assert described >= set(zf.namelist()) - {"avatar/"}
    assert "- `questions.json`: The questions you asked, with their text as it is now." in readme
    # Wrapped lines continue an item, indented under it.
    assert all(line.startswith(("- ", "  ")) for line in lines[lines.index("Files") + 3 :])


def test_the_readme_is_in_the_members_language(member, django_capture_on_commit_callbacks):
    member.language = "de"
    member.save(update_fields=["language"])

    readme = archive(built(member, django_capture_on_commit_callbacks)).read("README.txt")

    assert readme.decode().startswith("Deine Daten von Peerdesk\n")
    assert "- `questions.json`: Die Fragen, die du gestellt hast" in readme.decode()
