"""The required texts are required to take part, whatever the door: pages, htmx, the API
(session or token) and the services themselves refuse, name the texts and say where to
accept them, and change nothing. Privacy rights stay open without them."""

import pytest
from rest_framework.test import APIClient

from community import services
from community.models import Answer, Follow, Question, SolvedToo, Vote
from core.errors import ConsentRequired
from moderation.models import Flag
from tests.factories import UserFactory, api_key, make_answer, make_question

pytestmark = pytest.mark.django_db

QUESTION = {"forum": "mobilfunk", "title": "Router blinks red all night", "body": "x" * 40}


@pytest.fixture
def newcomer(db):
    """A member who has not accepted the required texts (yet)."""
    return UserFactory(consents=False)


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(user, 'read', 'write', 'privacy')}")
    return client


def test_the_api_refuses_a_question_with_a_json_403_naming_the_texts(newcomer, forum):
    response = bearer(newcomer).post("/api/v1/questions/", QUESTION, format="json")

    body = response.json()
    assert response.status_code == 403
    assert body["code"] == "consent_required"
    assert {text["key"] for text in body["texts"]} == {"terms", "privacy"}
    assert body["accept_url"].endswith("/privacy/accept/")
    assert body["accept_url"] in body["detail"]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "questions/{q}/answers/"),
        ("post", "questions/{q}/kudos/"),
        ("post", "answers/{a}/kudos/"),
        ("post", "questions/{q}/solved-too/"),
    ],
)
def test_every_api_write_refuses_the_same_way(newcomer, method, path):
    answer = make_answer()
    url = "/api/v1/" + path.format(q=answer.question_id, a=answer.pk)

    response = getattr(bearer(newcomer), method)(url, {"body": "y" * 30}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"
    assert Answer.objects.count() == 1
    assert not Vote.objects.exists()
    assert not SolvedToo.objects.exists()


def test_a_flag_through_the_api_is_refused(newcomer):
    answer = make_answer()

    response = bearer(newcomer).post(
        "/api/v1/flags/",
        {"target_type": "answer", "target_id": answer.pk, "reason": "spam"},
        format="json",
    )

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_a_session_on_the_api_is_refused_too(client, newcomer, forum):
    client.force_login(newcomer)

    response = client.post("/api/v1/questions/", QUESTION, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"


def test_an_htmx_kudos_is_refused_with_a_link_to_accept(client, newcomer):
    answer = make_answer()
    client.force_login(newcomer)

    response = client.post(f"/a/{answer.pk}/kudos/", headers={"HX-Request": "true"})

    assert "/privacy/accept/" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_posted_answer_form_is_refused_with_a_link_to_accept(client, newcomer):
    question = make_question()
    client.force_login(newcomer)

    response = client.post(f"/q/{question.pk}/answer/", {"body": "Try turning it off and on."})

    assert response.status_code == 403
    assert "/privacy/accept/" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_services_refuse_whoever_calls_them(newcomer, forum):
    question = make_question()
    with pytest.raises(ConsentRequired):
        services.question_create(author=newcomer, forum=forum, title="A" * 12, body="b" * 30)
    with pytest.raises(ConsentRequired):
        services.follow_start(user=newcomer, target=question)

    assert not Follow.objects.filter(user=newcomer).exists()


def test_privacy_rights_stay_open_without_the_texts(newcomer):
    client = bearer(newcomer)

    assert client.get("/api/v1/me/consents/").status_code == 200
    assert client.post("/api/v1/me/export/").status_code == 201


def test_after_accepting_the_same_request_succeeds(newcomer, forum):
    from privacy import selectors
    from privacy import services as privacy_services

    privacy_services.consents_record_signup(user=newcomer, granted_keys=selectors.required_keys())

    response = bearer(newcomer).post("/api/v1/questions/", QUESTION, format="json")

    assert response.status_code == 201
