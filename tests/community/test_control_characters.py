"""Control characters never reach the database: titles, bodies, edits, flags, appeals,
profiles and contact requests are cleaned on the way in (core.text.clean_text), whether
they come through a page or the API. Newlines and tabs survive."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from community import search, services
from community.models import Answer, Comment, Question
from insights.contact import services as contact
from moderation import actions, sanctions
from moderation.appeals import services as appeals
from moderation.flags import services as flags
from moderation.models import Appeal, Flag, ModerationAction
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

MARKED = "Roaming \x02charges\x03 abroad are far too high"
CLEAN = "Roaming charges abroad are far too high"
# Forms and the API refuse a NUL outright ("Null characters are not allowed").
BODY_IN = "Since May\x1b[31m I pay\x07 twice.\r\nFirst line\tcolumn\rLast line\x85\x9f"
BODY_OUT = "Since May[31m I pay twice.\nFirst line\tcolumn\nLast line"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Questions, answers and comments -----------------------------------------------------


def test_a_title_with_the_search_markers_is_stored_without_them(member, forum):
    question = make_question(author=member, forum=forum, title=f"{MARKED}\x00", body=BODY_IN)

    question.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert "\x1b" not in question.body_html


def test_search_results_mark_only_the_words_that_match(client, member, forum):
    make_question(author=member, forum=forum, title=MARKED)

    response = client.get(reverse("community:search"), {"q": "abroad"})

    html = response.content.decode()
    assert "Roaming charges <mark>abroad</mark> are far too high" in html
    assert "<mark>charges</mark>" not in html


def test_answers_comments_and_edits_are_cleaned_and_keep_newlines_and_tabs(member, other_member):
    question = make_question(author=member)
    answer = services.answer_create(question=question, author=other_member, body=BODY_IN)
    comment = services.comment_create(answer=answer, author=member, body=f"Thanks!\x07 {BODY_IN}")
    services.question_edit(question=question, by=member, title=MARKED, body=f"\x0c{BODY_IN}")
    services.answer_edit(answer=answer, by=other_member, body=f"Edited.\x03\r\n{BODY_IN}")

    question.refresh_from_db()
    answer.refresh_from_db()
    comment.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert answer.body == f"Edited.\n{BODY_OUT}"
    assert comment.body == f"Thanks! {BODY_OUT}"


def test_tags_are_cleaned_too(member, forum):
    question = make_question(author=member, forum=forum, tags=["rou\x02ter", "\x1b"])

    assert [tag.name for tag in question.tags.all()] == ["router"]


def test_a_title_that_is_too_short_without_its_control_characters_is_refused(member, forum):
    response = api(member).post(
        "/api/v1/questions/",
        {"forum": forum.slug, "title": "Help\x01\x01\x01\x01\x01\x01\x01", "body": BODY_IN},
        format="json",
    )

    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    assert not Question.objects.exists()


def test_the_api_stores_questions_answers_and_edits_without_control_characters(
    member, other_member, forum
):
    asked = api(member).post(
        "/api/v1/questions/",
        {"forum": forum.slug, "title": MARKED, "body": BODY_IN},
        format="json",
    )
    question = Question.objects.get()
    answered = api(other_member).post(
        f"/api/v1/questions/{question.pk}/answers/", {"body": BODY_IN}, format="json"
    )
    edited = api(member).patch(
        f"/api/v1/questions/{question.pk}/", {"title": f"{CLEAN}\x03"}, format="json"
    )

    assert (asked.status_code, answered.status_code, edited.status_code) == (201, 201, 200)
    assert (asked.json()["title"], asked.json()["body"]) == (CLEAN, BODY_OUT)
    assert answered.json()["body"] == BODY_OUT
    question.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert Answer.objects.get().body == BODY_OUT


def test_the_pages_store_questions_answers_and_comments_without_control_characters(
    member_client, member, other_member, forum
):
    member_client.post(
        reverse("community:ask"), {"forum": forum.slug, "title": MARKED, "body": BODY_IN}
    )
    question = Question.objects.get()
    answer = make_answer(question=question, author=other_member)
    member_client.post(reverse("community:comment_create", args=[answer.pk]), {"body": BODY_IN})
    member_client.post(
        reverse("community:question_edit", args=[question.pk]),
        {"title": f"{MARKED}\x7f", "body": f"{BODY_IN}\x02", "tags": ""},
    )

    question.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert Comment.objects.get().body == BODY_OUT


# --- Moderation: edits, reasons, flags, sanctions and appeals ------------------------------


def test_a_moderators_edit_and_reason_are_cleaned(member, moderator):
    question = make_question(author=member)

    actions.post_edit(
        post=question, by=moderator, title=MARKED, body=BODY_IN, reason="Tidied\x02 up\x03"
    )

    question.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert question.moderation_note == "Tidied up"


def test_flag_texts_are_cleaned_through_the_api(member, other_member):
    answer = make_answer(question=make_question(author=member), author=other_member)

    response = api(member).post(
        reverse("api-flags"),
        {"target_type": "answer", "target_id": answer.pk, "reason": "other", "text": BODY_IN},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Flag.objects.get().text == BODY_OUT


def test_sanction_reasons_and_appeals_are_cleaned(member, moderator):
    warning = sanctions.member_warn(member=member, by=moderator, reason="Be\x1b kind.\x03")

    appeal = appeals.appeal_file(action=warning, by=member, text=BODY_IN)

    assert ModerationAction.objects.get(pk=warning.pk).reason == "Be kind."
    assert Appeal.objects.get(pk=appeal.pk).text == BODY_OUT


def test_a_flag_made_by_the_service_keeps_newlines(member, other_member):
    answer = make_answer(question=make_question(author=member), author=other_member)

    flag = flags.flag_create(flagger=member, target=answer, reason="other", text="a\r\nb\x02")

    assert flag.text == "a\nb"


# --- Profiles and contact requests ----------------------------------------------------------


def test_bio_and_location_are_cleaned_and_the_bio_keeps_its_lines(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "bio": BODY_IN,
            "location": "Kö\x1bln\x85",
            "bio_visibility": "public",
            "location_visibility": "public",
            "avatar_visibility": "public",
            "listing_visibility": "public",
        },
    )

    assert response.status_code in (200, 302)
    member.refresh_from_db()
    assert (member.bio, member.location) == (BODY_OUT, "Köln")


def test_the_service_cleans_a_profile_whatever_calls_it(member):
    account_services.profile_update(
        user=member,
        bio="a\x02b",
        location="c\x03d",
        bio_visibility="public",
        location_visibility="public",
        avatar_visibility="public",
        listing_visibility="public",
    )

    member.refresh_from_db()
    assert (member.bio, member.location) == ("ab", "cd")


def test_a_contact_request_is_stored_without_control_characters():
    request = contact.contact_submit(
        visit=contact.visit_new(),
        session_key="session-1",
        subject="My router\x02 keeps\r\nlosing Wi-Fi",
        message=BODY_IN,
        name="Carla\x1f Customer",
        email="carla@example.com",
    )

    request.refresh_from_db()
    assert (request.subject, request.name) == ("My router keeps losing Wi-Fi", "Carla Customer")
    assert request.message == BODY_OUT


# --- Posts written before: the data migration ----------------------------------------------

migration = importlib.import_module("community.migrations.0008_strip_control_characters")
reindex = importlib.import_module("community.migrations.0013_question_term")


def test_the_migrations_clean_old_posts_render_them_again_and_renew_their_threads(
    client, member, other_member, forum
):
    question = make_question(author=member, forum=forum)
    answer = make_answer(question=question, author=other_member)
    comment = services.comment_create(answer=answer, author=member, body="Thanks, that helps.")
    untouched = make_question(author=member, forum=forum, title="Another question entirely")
    # Written before the cleaning: straight into the rows.
    Question.objects.filter(pk=question.pk).update(
        title=MARKED, body=BODY_IN, body_html=f"<p>{BODY_IN}</p>"
    )
    Answer.objects.filter(pk=answer.pk).update(body=f"**Bold**\x02{BODY_IN}")
    Comment.objects.filter(pk=comment.pk).update(body="Thanks,\x03 that helps.")
    search.index_questions(Question.objects.filter(pk=question.pk))
    version = Question.objects.get(pk=question.pk).version
    untouched_before = Question.objects.values().get(pk=untouched.pk)

    from django.apps import apps

    migration.strip_control_characters(apps, SimpleNamespace(connection=connection))
    reindex.index(apps, SimpleNamespace(connection=connection, execute=None))

    question.refresh_from_db()
    answer.refresh_from_db()
    comment.refresh_from_db()
    assert (question.title, question.body) == (CLEAN, BODY_OUT)
    assert (
        question.body_html == "<p>Since May[31m I pay twice.\nFirst line\tcolumn\nLast line</p>\n"
    )
    assert answer.body == f"**Bold**{BODY_OUT}"
    assert answer.body_html.startswith("<p><strong>Bold</strong>Since May")
    assert (comment.body, comment.body_html) == (
        "Thanks, that helps.",
        "<p>Thanks, that helps.</p>\n",
    )
    assert question.version > version
    assert Question.objects.values().get(pk=untouched.pk) == untouched_before
    html = client.get(reverse("community:search"), {"q": "abroad"}).content.decode()
    assert "Roaming charges <mark>abroad</mark> are far too high" in html
