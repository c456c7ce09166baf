import json

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from community import services
from community.models import Answer, Question, SolvedToo, Vote
from tests.factories import ForumFactory, UserFactory, as_user, make_answer, make_question

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"
VALID = {
    "forum": "mobilfunk",
    "title": "My router blinks red",
    "body": "Since this morning the router blinks red and nothing works.",
    "tags": ["router"],
}


def ids(response) -> list[int]:
    return [q["id"] for q in response.json()["results"]]


def assert_error(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"]
    assert body["code"]
    if field:
        assert field in body["errors"], body


# --- Reading ----------------------------------------------------------------------


def test_forums_are_listed_in_order_with_their_counts(api_client, forum):
    ForumFactory(name="Internet", slug="internet", position=forum.position + 1)
    make_answer(question=make_question(forum=forum))

    body = api_client.get("/api/v1/forums/").json()

    assert [f["slug"] for f in body] == ["mobilfunk", "internet"]
    assert (body[0]["question_count"], body[0]["answer_count"]) == (1, 1)
    assert set(body[0]) == {
        "id",
        "name",
        "slug",
        "description",
        "position",
        "question_count",
        "answer_count",
    }


def test_a_forum_is_found_by_its_slug(api_client, forum):
    response = api_client.get("/api/v1/forums/mobilfunk/")

    assert response.status_code == 200
    assert response.json()["name"] == "Mobilfunk"


def test_questions_are_filtered_by_forum(api_client, forum):
    mine = make_question(forum=forum)
    make_question(forum=ForumFactory())

    response = api_client.get(QUESTIONS, {"forum": "mobilfunk"})

    assert ids(response) == [mine.pk]


def test_questions_are_filtered_by_state(api_client, member):
    solved = make_question(author=member, title="A question that got solved")
    services.answer_accept(answer=make_answer(question=solved), by=member)
    answered = make_question(title="A question with an answer")
    make_answer(question=answered)
    fresh = make_question(title="A question nobody answered")

    def state(name: str) -> list[int]:
        return ids(api_client.get(QUESTIONS, {"state": name, "sort": "newest"}))

    assert state("solved") == [solved.pk]
    assert state("open") == [fresh.pk, answered.pk]
    assert state("unanswered") == [fresh.pk]
    assert state("all") == [fresh.pk, answered.pk, solved.pk]


def test_questions_are_filtered_by_tag(api_client):
    tagged = make_question(tags=["wlan"])
    make_question(tags=["router"])

    assert ids(api_client.get(QUESTIONS, {"tag": "wlan"})) == [tagged.pk]


def test_questions_are_sorted_by_votes(api_client, member):
    liked = make_question(title="An older question somebody liked")
    quiet = make_question(title="A newer question nobody liked")
    services.vote_cast(user=member, post=liked)

    assert ids(api_client.get(QUESTIONS)) == [quiet.pk, liked.pk]
    assert ids(api_client.get(QUESTIONS, {"sort": "votes"})) == [liked.pk, quiet.pk]


def test_search_finds_questions_by_their_words_best_first(api_client):
    # The better match is the older one, so ranking, not activity, orders the results.
    in_title = make_question(title="Router blinks red", body="Router router, what to do now?")
    in_body = make_question(
        title="Strange light on the box", body="The router blinks red after the update."
    )
    make_question(title="Invoice arrived twice this month", body="Billing question, nothing else.")

    response = api_client.get(QUESTIONS, {"q": "routers"})

    assert ids(response) == [in_title.pk, in_body.pk]


def test_search_keeps_to_the_forum_filter(api_client, forum):
    here = make_question(forum=forum, title="Router blinks red here")
    make_question(title="Router blinks red elsewhere")

    response = api_client.get(QUESTIONS, {"q": "router", "forum": "mobilfunk"})

    assert ids(response) == [here.pk]


@pytest.mark.parametrize(
    ("field", "value"), [("forum", "no-such-forum"), ("state", "closed"), ("sort", "random")]
)
def test_a_bad_filter_is_a_400_naming_the_field(api_client, field, value):
    assert_error(api_client.get(QUESTIONS, {field: value}), 400, field)


@pytest.mark.parametrize("page", [2, 10**30, -1, "abc"])
def test_a_page_that_does_not_exist_is_a_json_404(api_client, page):
    make_question()

    assert_error(api_client.get(QUESTIONS, {"page": page}), 404)


def test_question_detail_lists_answers_accepted_first_then_by_kudos_with_comments(
    api_client, member, other_member
):
    question = make_question(author=member)
    first = make_answer(question=question, body="The first answer, no kudos.")
    liked = make_answer(question=question, body="The liked answer, one kudos.")
    accepted = make_answer(question=question, body="The accepted answer, no kudos.")
    services.vote_cast(user=other_member, post=liked)
    services.answer_accept(answer=accepted, by=member)
    services.comment_create(answer=liked, author=member, body="Thanks!")

    body = api_client.get(f"{QUESTIONS}{question.pk}/").json()

    assert body["accepted_answer"] == accepted.pk
    assert [a["id"] for a in body["answers"]] == [accepted.pk, liked.pk, first.pk]
    assert [c["body"] for c in body["answers"][1]["comments"]] == ["Thanks!"]
    assert body["author"] == {"id": member.pk, "display_name": "Anna Asker"}
    assert body["body_html"].startswith("<p>")


def test_question_detail_query_count_does_not_grow_with_its_answers(api_client, member):
    question = make_question()
    answer = make_answer(question=question)
    services.comment_create(answer=answer, author=member, body="A comment.")
    url = f"{QUESTIONS}{question.pk}/"
    api_client.get(url)  # the day's visitor salt is made once
    with CaptureQueriesContext(connection) as few:
        api_client.get(url)
    for _ in range(4):
        services.comment_create(
            answer=make_answer(question=question), author=UserFactory(), body="More."
        )

    with CaptureQueriesContext(connection) as many:
        api_client.get(url)

    assert len(many) == len(few)


def test_an_erased_author_is_null(api_client):
    question = make_question()
    question.author.delete()

    assert api_client.get(f"{QUESTIONS}{question.pk}/").json()["author"] is None


@pytest.mark.parametrize(
    "path",
    [
        "questions/999999/",
        "questions/abc/",
        "questions/99999999999999999999999999/",
        "questions/%F0%9F%98%80/",
        "answers/1x/kudos/",
        "forums/no-such-forum/",
        "no-such-thing/",
        "questions",
    ],
)
def test_unknown_ids_and_paths_are_json_404(api_client, path):
    assert_error(api_client.get(f"/api/v1/{path}"), 404)


# --- Asking and answering -----------------------------------------------------------------


def test_asking_returns_201_with_the_question(member, forum):
    response = as_user(member).post(QUESTIONS, VALID, format="json")

    assert response.status_code == 201
    body = response.json()
    question = Question.objects.get()
    assert body["id"] == question.pk
    assert (body["forum"], body["title"], body["tags"]) == ("mobilfunk", VALID["title"], ["router"])
    assert body["author"] == {"id": member.pk, "display_name": "Anna Asker"}
    assert (body["status"], body["accepted_answer"], body["answers"]) == ("open", None, [])
    assert question.author == member


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "short"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": None}, "title"),
        ({"title": ["a", "list"]}, "title"),
        ({"title": "A title with a \x00 NUL byte"}, "title"),
        ({"body": ""}, "body"),
        ({"body": "too short"}, "body"),
        ({"body": "y" * 20_001}, "body"),
        ({"body": {"an": "object"}}, "body"),
        ({"forum": "no-such-forum"}, "forum"),
        ({"forum": 12}, "forum"),
        ({"forum": None}, "forum"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
        ({"tags": "router"}, "tags"),
        ({"tags": ["x" * 33]}, "tags.0"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_questions_are_refused_naming_the_field_and_change_nothing(
    member, forum, change, field
):
    response = as_user(member).post(QUESTIONS, VALID | change, format="json")

    assert_error(response, 400, field)
    assert not Question.objects.exists()
    forum.refresh_from_db()
    assert forum.question_count == 0


def test_a_title_too_short_once_its_spaces_collapse_is_refused_naming_title(member, forum):
    # Long enough for the serializer; the service collapses the spaces and refuses it.
    response = as_user(member).post(
        QUESTIONS, VALID | {"title": "a" + " " * 20 + "b"}, format="json"
    )

    assert_error(response, 400, "title")
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        (b'{"title": "\xff"}', "application/json", 400),
        ("[" * 50_000, "application/json", 400),
        ('[{"title": 1}]', "application/json", 400),
        ("null", "application/json", 400),
        ("forum=mobilfunk", "application/x-www-form-urlencoded", 415),
        ("<question/>", "application/xml", 415),
    ],
)
def test_malformed_or_foreign_bodies_get_json_errors(member, forum, body, content_type, status):
    response = as_user(member).post(QUESTIONS, body, content_type=content_type)

    assert_error(response, status)
    assert not Question.objects.exists()


def test_script_in_markdown_is_escaped_in_body_html(member, forum):
    body = "<script>alert(1)</script> and an <img src=x onerror=alert(1)> too"

    response = as_user(member).post(QUESTIONS, VALID | {"body": body}, format="json")

    html = response.json()["body_html"]
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert response.json()["body"] == body


def test_answering_returns_201_with_the_answer(member, other_member):
    question = make_question(author=member)

    response = as_user(other_member).post(
        f"{QUESTIONS}{question.pk}/answers/", {"body": "Restart it, then wait."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["question"] == question.pk
    assert response.json()["author"]["id"] == other_member.pk
    assert Answer.objects.get().body == "Restart it, then wait."


def test_a_too_short_answer_is_refused_naming_body(member):
    question = make_question()

    response = as_user(member).post(
        f"{QUESTIONS}{question.pk}/answers/", {"body": "no"}, format="json"
    )

    assert_error(response, 400, "body")
    assert not Answer.objects.exists()


# --- Editing ---------------------------------------------------------------------------


def test_the_author_edits_the_title_and_keeps_the_rest(member):
    question = make_question(author=member, tags=["router"])

    response = as_user(member).patch(
        f"{QUESTIONS}{question.pk}/", {"title": "A better title for it"}, format="json"
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert question.title == "A better title for it"
    assert question.body.startswith("The router blinks red")
    assert response.json()["tags"] == ["router"]


def test_editing_another_members_question_is_forbidden(member, other_member):
    question = make_question(author=member)

    response = as_user(other_member).patch(
        f"{QUESTIONS}{question.pk}/", {"title": "Hijacked title here"}, format="json"
    )

    assert_error(response, 403)
    question.refresh_from_db()
    assert question.title == "How do I reset my router?"


def test_editing_another_members_answer_is_forbidden(member, other_member):
    answer = make_answer(author=member)

    response = as_user(other_member).patch(
        f"/api/v1/answers/{answer.pk}/", {"body": "Something else entirely."}, format="json"
    )

    assert_error(response, 403)
    answer.refresh_from_db()
    assert answer.body == "Hold the reset button for ten seconds."


def test_a_moderator_edits_any_answer(member, moderator):
    answer = make_answer(author=member)

    response = as_user(moderator).patch(
        f"/api/v1/answers/{answer.pk}/", {"body": "Edited by **the moderator**."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["body_html"] == "<p>Edited by <strong>the moderator</strong>.</p>\n"


# --- Accepting -------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_accepting_again_changes_nothing(member):
    question = make_question(author=member)
    answer = make_answer(question=question)
    client = as_user(member)

    first = client.post(f"/api/v1/answers/{answer.pk}/accept/")
    second = client.post(f"/api/v1/answers/{answer.pk}/accept/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["accepted_answer"] == answer.pk
    assert second.json()["status"] == "solved"


def test_accepting_an_answer_to_someone_elses_question_is_forbidden(member, other_member):
    answer = make_answer(question=make_question(author=member))

    response = as_user(other_member).post(f"/api/v1/answers/{answer.pk}/accept/")

    assert_error(response, 403)
    assert Question.objects.get().accepted_answer is None


def test_the_asker_unaccepts_the_accepted_answer(member):
    question = make_question(author=member)
    services.answer_accept(answer=make_answer(question=question), by=member)

    response = as_user(member).delete(f"{QUESTIONS}{question.pk}/accepted-answer/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["accepted_answer"]) == ("open", None)


# --- Kudos -----------------------------------------------------------------------------


def test_kudos_count_once_and_a_second_vote_is_a_conflict(member, other_member):
    answer = make_answer(author=member)
    client = as_user(other_member)

    first = client.post(f"/api/v1/answers/{answer.pk}/kudos/")
    second = client.post(f"/api/v1/answers/{answer.pk}/kudos/")

    assert (first.status_code, first.json()) == (201, {"vote_score": 1})
    assert_error(second, 409)
    assert Vote.objects.count() == 1


def test_kudos_on_ones_own_question_are_forbidden(member):
    question = make_question(author=member)

    response = as_user(member).post(f"{QUESTIONS}{question.pk}/kudos/")

    assert_error(response, 403)
    assert not Vote.objects.exists()


def test_kudos_are_withdrawn(member, other_member):
    question = make_question(author=member)
    services.vote_cast(user=other_member, post=question)

    response = as_user(other_member).delete(f"{QUESTIONS}{question.pk}/kudos/")

    assert (response.status_code, response.json()) == (200, {"vote_score": 0})


def test_withdrawing_kudos_never_given_is_a_conflict(member, other_member):
    question = make_question(author=member)

    assert_error(as_user(other_member).delete(f"{QUESTIONS}{question.pk}/kudos/"), 409)


# --- Solved too ------------------------------------------------------------------------


def _mark_as_visitor(client, question):
    proof = client.get(f"{QUESTIONS}{question.pk}/").json()["solved_too_proof"]
    return client.post(f"{QUESTIONS}{question.pk}/solved-too/", {"proof": proof}, format="json")


def test_an_anonymous_visitor_says_solved_too_once_whatever_the_session(api_client):
    question = make_question()
    make_answer(question=question)

    first = _mark_as_visitor(api_client, question)
    second = _mark_as_visitor(APIClient(), question)  # no cookies, same address and browser

    assert (first.status_code, first.json()) == (201, {"solved_too_count": 1})
    assert_error(second, 409)
    assert SolvedToo.objects.get().user is None


def test_another_visitor_counts_again(api_client):
    question = make_question()
    make_answer(question=question)
    _mark_as_visitor(api_client, question)

    response = _mark_as_visitor(APIClient(REMOTE_ADDR="91.1.2.3"), question)

    assert response.json() == {"solved_too_count": 2}


def test_solved_too_on_a_question_without_answers_is_refused(api_client):
    question = make_question()

    assert_error(api_client.post(f"{QUESTIONS}{question.pk}/solved-too/"), 400)
    assert not SolvedToo.objects.exists()


# --- Authentication --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "questions/"),
        ("patch", "questions/{q}/"),
        ("post", "questions/{q}/answers/"),
        ("post", "questions/{q}/kudos/"),
        ("delete", "questions/{q}/kudos/"),
        ("delete", "questions/{q}/accepted-answer/"),
        ("patch", "answers/{a}/"),
        ("post", "answers/{a}/accept/"),
        ("post", "answers/{a}/kudos/"),
    ],
)
def test_anonymous_writes_get_401_with_a_token_challenge(api_client, method, path):
    answer = make_answer()
    url = "/api/v1/" + path.format(q=answer.question_id, a=answer.pk)

    response = getattr(api_client, method)(url, VALID, format="json")

    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert Question.objects.count() == 1


def verified_member(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_token_works_end_to_end(api_client, forum):
    user = verified_member()
    token = api_client.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": "correct-horse-battery"},
        format="json",
    ).json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(QUESTIONS, VALID, format="json")

    assert response.status_code == 201
    assert Question.objects.get().author == user


@pytest.mark.parametrize(
    ("active", "verified", "password"),
    [
        (True, True, "wrong-password"),
        (False, True, "correct-horse-battery"),
        (True, False, "correct-horse-battery"),
    ],
)
def test_no_token_for_a_wrong_password_an_inactive_or_unconfirmed_member(
    api_client, active, verified, password
):
    user = verified_member(is_active=active) if verified else UserFactory(is_active=active)

    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
    )

    assert_error(response, 400, "non_field_errors")
    assert "token" not in response.json()


@pytest.mark.parametrize(
    "key", ["not-a-real-token", "0" * 40, "\x00" * 40, "é", "pdk_" + "A" * 43, "pdk_" + "\x00" * 43]
)
@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_bad_token_is_401_even_for_reading(api_client, key, scheme):
    api_client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")

    assert_error(api_client.get("/api/v1/forums/"), 401)


def test_session_login_needs_the_csrf_token_for_writes(member, forum):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(QUESTIONS, VALID, format="json")

    assert_error(response, 403)
    assert not Question.objects.exists()


def test_an_unsupported_method_is_a_json_405(member):
    assert_error(as_user(member).delete("/api/v1/forums/"), 405)


# --- Privacy -------------------------------------------------------------------------


def test_no_response_ever_contains_an_email_address(member, other_member, forum):
    question = make_question(author=member, forum=forum)
    answer = make_answer(question=question, author=other_member)
    services.comment_create(answer=answer, author=member, body="Thank you!")
    client = as_user(member)
    responses = [
        client.get("/api/v1/forums/"),
        client.get(QUESTIONS),
        client.get(QUESTIONS, {"q": "router"}),
        client.get(f"{QUESTIONS}{question.pk}/"),
        client.post(QUESTIONS, VALID, format="json"),
        client.post(f"/api/v1/answers/{answer.pk}/accept/"),
        client.post(f"/api/v1/answers/{answer.pk}/kudos/"),
        as_user(other_member).patch(
            f"/api/v1/answers/{answer.pk}/", {"body": "A better answer."}, format="json"
        ),
    ]

    for response in responses:
        assert response.status_code < 300
        text = json.dumps(response.json())
        assert member.email not in text
        assert other_member.email not in text
        assert "@" not in text


def test_a_client_that_accepts_no_json_gets_a_json_406(api_client):
    assert_error(api_client.get("/api/v1/forums/", HTTP_ACCEPT="text/html"), 406)
