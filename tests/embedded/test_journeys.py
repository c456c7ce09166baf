"""The main journeys of the product on the newcomer's demo (SQLite, tasks in-process).

Each test walks through pages as a person would; the PostgreSQL suite tests the same
features in depth. What is checked here is that every journey works end to end on
the embedded default, where a PostgreSQL-only expression would fail.
"""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from community.models import Answer, Question, SolvedToo
from insights.models import Event
from moderation.models import Case, ModerationAction
from privacy.models import ConsentText, PrivacyRequest
from rewards.ledger.check import ledger_differences
from rewards.models import LedgerEntry, Settlement
from tests.embedded.conftest import demo_user, logged_in, unzip
from tests.rewards.settlement_helpers import earn

pytestmark = pytest.mark.django_db
PASSWORD = "peerdesk-demo"


def _question_with_answers() -> Question:
    return Question.objects.filter(visibility="visible", answer_count__gt=1).order_by("pk")[0]


def test_a_visitor_reads_the_community_and_searches_it():
    visitor = Client()
    question = _question_with_answers()
    assert visitor.get("/").status_code == 200
    assert visitor.get(f"/f/{question.forum.slug}/").status_code == 200
    page = visitor.get(question.get_absolute_url())
    assert page.status_code == 200
    assert question.title in page.content.decode()
    word = max(question.title.split(), key=len)
    found = visitor.get("/search/", {"q": word})
    assert found.status_code == 200
    assert f"/search/open/{question.pk}/" in found.content.decode()
    opened = visitor.get(f"/search/open/{question.pk}/", {"q": word.lower()})
    assert opened["Location"] == question.get_absolute_url()
    apn = Question.objects.get(title="APN settings for a dual-SIM Android phone")
    several_words = visitor.get("/search/", {"q": "APN Android"}).content.decode()
    assert f"/search/open/{apn.pk}/" in several_words
    assert visitor.get(f"/q/{apn.pk}/related/").status_code == 200
    assert visitor.get("/questions/similar/", {"title": question.title}).status_code == 200
    assert visitor.get("/contact/", {"subject": question.title}).status_code == 200
    assert visitor.get("/api/v1/questions/", {"q": word}).status_code == 200


def test_members_ask_answer_accept_and_earn_points(after_commit):
    asker, helper = logged_in("sarah"), logged_in("tom")
    forum = Question.objects.first().forum
    with after_commit():
        asked = asker.post(
            "/ask/",
            {
                "forum": forum.slug,
                "title": "My router loses the connection every night",
                "body": "Every night at three the internet is gone until I restart it.",
                "tags": "router",
            },
        )
    assert asked.status_code == 302, asked.content.decode()[:2000]
    question = Question.objects.get(title="My router loses the connection every night")
    read = helper.get(question.get_absolute_url()).content.decode()  # kept for such members
    assert "Follow" in read and "Post your answer" in read
    with after_commit():
        answered = helper.post(
            f"/q/{question.pk}/answer/",
            {"body": "That is the nightly forced reconnect; move it in the router settings."},
        )
    assert answered.status_code == 302
    assert "Edit answer" in helper.get(question.get_absolute_url()).content.decode()
    answer = Answer.objects.get(question=question)
    with after_commit():
        assert asker.post(f"/a/{answer.pk}/kudos/").status_code in (200, 302)
        assert asker.post(f"/a/{answer.pk}/accept/").status_code in (200, 302)
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk
    assert LedgerEntry.objects.filter(account__user=demo_user("tom"), answer=answer).exists()
    assert Event.objects.filter(question=question).exists()
    visitor = Client()
    assert visitor.get(question.get_absolute_url()).status_code == 200
    page = visitor.get(f"/q/{question.pk}/solved-too/").content.decode()  # no JavaScript
    proof = re.search(r'name="proof" value="([^"]+)"', page)[1]
    with after_commit():
        assert visitor.post(f"/q/{question.pk}/solved-too/", {"proof": proof}).status_code == 302
    assert SolvedToo.objects.filter(question=question).count() == 1
    assert helper.get("/notifications/").status_code == 200
    assert helper.get("/points/").status_code == 200


def test_a_member_downloads_their_data_export(after_commit):
    member = logged_in("sarah")
    with after_commit():
        assert member.post("/privacy/export/").status_code == 302
    page = member.get("/privacy/export/").content.decode()
    assert "Failed" not in page
    export = PrivacyRequest.objects.get(user=demo_user("sarah"), kind="export")
    assert export.state == PrivacyRequest.State.READY
    link = re.search(r"https?://\S+/privacy/export/download/\S+/", mail.outbox[-1].body)[0]
    download = member.get(link.split("8000", 1)[-1])
    assert download.status_code == 200
    archive = unzip(download)
    questions = json.loads(archive.read("questions.json"))
    asked = Question.objects.filter(author=demo_user("sarah"))
    assert len(questions) == asked.count() > 0
    tagged = next(q for q in questions if q["tags"])
    assert tagged["tags"] == sorted(
        Question.objects.get(pk=tagged["id"]).tags.values_list("name", flat=True)
    )
    readme = archive.read("README.txt").decode()
    assert "- `questions.json`: The questions you asked" in readme


def test_erasure_can_be_cancelled_from_the_login_page_during_the_grace_period(after_commit):
    with after_commit():
        logged_in("priya").post("/privacy/erasure/", {"password": PASSWORD})
    assert not demo_user("priya").is_active
    browser = Client()
    page = browser.post("/accounts/login/", {"login": "priya@example.com", "password": PASSWORD})
    text = page.content.decode()
    assert "scheduled for erasure" in text
    cancel = re.search(r'action="(/privacy/erasure/cancel/[^"]+/)"', text)[1]
    assert browser.post(cancel).status_code == 302
    assert demo_user("priya").is_active
    logged = browser.post("/accounts/login/", {"login": "priya@example.com", "password": PASSWORD})
    assert logged.status_code == 302
    assert browser.get("/privacy/").status_code == 200


def test_staff_erase_a_member_whose_posts_and_marks_stay_anonymised():
    marker = SolvedToo.objects.filter(user__isnull=False).select_related("user")[0].user
    marks = SolvedToo.objects.filter(user=marker).count()
    call_command("erase_member", marker.email, stdout=StringIO())
    assert not User.objects.filter(pk=marker.pk).exists()
    assert (
        SolvedToo.objects.filter(user=None, session_hash__regex=r"^[0-9a-f]{64}$").count() >= marks
    )
    assert list(ledger_differences()) == []


def test_points_are_settled_to_a_verified_customer_account(after_commit):
    cm = logged_in("stefan.cm", totp=True)
    earner = Settlement.objects.select_related("account__user").first().account.user
    earn(earner, 900)
    before = Settlement.objects.count()
    with after_commit():
        call_command("settle_points", "--key", "smoke", stdout=StringIO())
    assert Settlement.objects.count() == before + 1
    assert Settlement.objects.latest("pk").state == Settlement.State.CONFIRMED
    assert list(ledger_differences()) == []
    page = cm.get("/staff/settlements/")
    assert page.status_code == 200
    csv = cm.get("/staff/settlements/export.csv", {"month": f"{timezone.localdate():%Y-%m}"})
    assert csv.status_code == 200
    assert len(b"".join(csv.streaming_content).decode().splitlines()) > 1
    assert logged_in(earner.email.split("@")[0]).get("/points/").status_code == 200


def test_a_support_lead_reads_the_savings_dashboard_and_drills_down():
    lead = logged_in("julia.support", totp=True)
    for query in ({}, {"from": "2026-01-01", "to": "2026-12-31"}):
        page = lead.get("/staff/insights/", query)
        assert page.status_code == 200
        assert "EUR" in page.content.decode()
    assert lead.get("/staff/insights/events/").status_code == 200
    assert lead.get("/staff/insights/questions/").status_code == 200
    assert lead.get("/staff/insights/points/").status_code == 200
    for table in ("forums", "worst-forums", "months", "contributors"):
        csv = lead.get("/staff/insights/export/", {"table": table})
        assert csv.status_code == 200
        assert csv["Content-Type"].startswith("text/csv")
    assert lead.get("/staff/insights/costs/").status_code == 200
    assert lead.get("/contact/requests/").status_code == 200
    assert lead.get("/staff/escalations/").status_code == 200
    summary = lead.get("/api/v1/insights/summary/")
    assert summary.status_code == 200
    assert summary.json()["summary"]["deflected"] > 0


def test_a_flag_reaches_the_moderator_who_hides_the_post_and_the_log_shows_it(after_commit):
    answer = Answer.objects.filter(visibility="visible").exclude(author=None).order_by("pk")[0]
    flagger = logged_in("olga" if answer.author.email != "olga@example.com" else "felix")
    with after_commit():
        flagged = flagger.post(f"/flag/answer/{answer.pk}/", {"reason": "spam"})
    assert flagged.status_code == 302
    case = Case.objects.get(answer=answer, state=Case.State.OPEN)
    moderator = logged_in("carla.mod", totp=True)
    assert (
        f"/staff/moderation/case/{case.pk}/" in moderator.get("/staff/moderation/").content.decode()
    )
    assert moderator.get(f"/staff/moderation/case/{case.pk}/").status_code == 200
    with after_commit():
        hidden = moderator.post(
            f"/staff/moderation/case/{case.pk}/hide/", {"reason": "Advertising."}
        )
    assert hidden.status_code == 302
    answer.refresh_from_db()
    assert answer.visibility == "hidden"
    assert ModerationAction.objects.filter(answer=answer).exists()
    assert moderator.get("/staff/moderation/log/").status_code == 200
    assert logged_in("stefan.cm", totp=True).get("/staff/fraud-review/").status_code == 200


def test_a_member_accepts_a_new_version_of_the_terms():
    current = ConsentText.objects.filter(purpose__required=True).order_by("-version")[0]
    ConsentText.objects.create(
        purpose=current.purpose,
        version=current.version + 1,
        text=current.text + "\n\nA new paragraph.",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    member = logged_in("marco")
    gate = member.get("/ask/")
    assert gate.status_code == 302
    accept = member.get(gate["Location"])
    assert accept.status_code == 200
    assert "A new paragraph" in accept.content.decode()


@pytest.mark.parametrize(
    ("handle", "totp"),
    [(None, False), ("sarah", False), ("carla.mod", True), ("stefan.cm", True)],
)
def test_every_page_linked_from_the_site_answers_without_a_server_error(handle, totp):
    """A crawl of the links each role sees, so that a page nobody wrote a journey for
    cannot fail on SQLite unnoticed."""
    browser = logged_in(handle, totp=totp) if handle else Client()
    seen, queue = set(), ["/", "/staff/moderation/", "/staff/insights/", "/points/", "/privacy/"]
    while queue and len(seen) < CRAWL_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = browser.get(url)
        assert response.status_code < 500, url
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            queue += [
                link
                for link in re.findall(r'href="(/[^"#]*)"', response.content.decode())
                if not link.startswith(NOT_CRAWLED)
            ]
    assert len(seen) > 40


CRAWL_PAGES = 150
# Static files, downloads and pages that end the session are not pages to crawl.
NOT_CRAWLED = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/api/docs/")
