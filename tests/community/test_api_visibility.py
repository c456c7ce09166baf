"""The API shows visible posts only, answers 429 when a member goes too fast, and says
where their own held post stands."""

import pytest

from community import services, visibility
from community.models import Visibility
from moderation.models import TrustLevel
from tests.factories import as_user, make_answer, make_question
from tests.moderation.helpers import set_limits

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

QUESTIONS = "/api/v1/questions/"


@pytest.mark.usefixtures("rate_limits")
def test_answering_too_fast_is_answered_429_with_retry_after(member):
    set_limits(TrustLevel.NEW, posts_per_hour=1)
    question = make_question()
    make_answer(question=question, author=member)

    response = as_user(member).post(
        f"{QUESTIONS}{question.pk}/answers/", {"body": "One more thing to try."}, format="json"
    )

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "1 time an hour" in response.json()["detail"]
    assert int(response["Retry-After"]) > 3000


@pytest.mark.usefixtures("rate_limits")
def test_kudos_too_fast_are_answered_429(member):
    set_limits(TrustLevel.NEW, votes_per_day=1)
    first, second = make_question(), make_question()
    services.vote_cast(user=member, post=first)

    response = as_user(member).post(f"{QUESTIONS}{second.pk}/kudos/")

    assert response.status_code == 429


def test_a_locked_thread_refuses_answers_with_403(member):
    question = make_question()
    visibility.question_lock(question=question, locked=True)

    response = as_user(member).post(
        f"{QUESTIONS}{question.pk}/answers/", {"body": "One more thing to try."}, format="json"
    )

    assert response.status_code == 403
    assert "locked" in response.json()["detail"]


def test_a_held_answer_comes_back_pending(member):
    question = make_question()

    response = as_user(member).post(
        f"{QUESTIONS}{question.pk}/answers/", {"body": "See https://example.com"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["visibility"] == Visibility.PENDING


def test_a_hidden_question_is_not_found_nor_listed_nor_searched(api_client, member):
    question = make_question(author=member, title="Router blinks in morse code")
    visibility.post_visibility_set(post=question, visibility=Visibility.HIDDEN, note="Spam")

    assert api_client.get(f"{QUESTIONS}{question.pk}/").status_code == 404
    assert api_client.get(QUESTIONS).json()["results"] == []
    assert api_client.get(QUESTIONS, {"q": "morse"}).json()["results"] == []
    assert api_client.post(f"{QUESTIONS}{question.pk}/solved-too/").status_code == 404


def test_the_author_reads_their_hidden_question_with_the_note(member):
    question = make_question(author=member)
    visibility.post_visibility_set(post=question, visibility=Visibility.HIDDEN, note="Spam?")

    body = as_user(member).get(f"{QUESTIONS}{question.pk}/").json()

    assert (body["visibility"], body["moderation_note"]) == ("hidden", "Spam?")


def test_answers_that_are_not_public_are_left_out_for_others(api_client, member):
    question = make_question()
    shown = make_answer(question=question)
    hidden = make_answer(question=question, author=member)
    visibility.post_visibility_set(post=hidden, visibility=Visibility.HIDDEN)

    public = api_client.get(f"{QUESTIONS}{question.pk}/").json()["answers"]
    own = as_user(member).get(f"{QUESTIONS}{question.pk}/").json()["answers"]

    assert [a["id"] for a in public] == [shown.pk]
    assert {a["id"]: a["visibility"] for a in own} == {shown.pk: "visible", hidden.pk: "hidden"}
    assert api_client.post(f"/api/v1/answers/{hidden.pk}/kudos/").status_code in (401, 403, 404)
    assert as_user(member).post(f"/api/v1/answers/{hidden.pk}/accept/").status_code == 404


def test_the_schema_declares_429_where_members_can_go_too_fast(api_client):
    paths = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    assert "429" in paths["/api/v1/questions/"]["post"]["responses"]
    assert "429" in paths["/api/v1/questions/{id}/answers/"]["post"]["responses"]
    assert "429" in paths["/api/v1/questions/{id}/kudos/"]["post"]["responses"]
    assert "429" in paths["/api/v1/answers/{id}/kudos/"]["post"]["responses"]


def test_a_question_hidden_while_its_search_is_kept_is_left_out(api_client, member):
    question = make_question(author=member, title="Router blinks in morse code")
    assert len(api_client.get(QUESTIONS, {"q": "morse"}).json()["results"]) == 1

    visibility.post_visibility_set(post=question, visibility=Visibility.HIDDEN, note="Spam")
    response = api_client.get(QUESTIONS, {"q": "morse"})  # the ranked ids are kept a while

    assert response.status_code == 200
    assert response.json()["results"] == []
