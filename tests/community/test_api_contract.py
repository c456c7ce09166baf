"""The OpenAPI schema is the contract: valid, and every answer the API gives conforms to it.

Schemathesis generates requests (valid ones and deliberately broken ones) for
every operation and sends them to the Django WSGI app on PostgreSQL with
seeded forums, questions and answers and a member's token. No request may get
a 5xx, and every response must have a documented status, content type and body.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.tokens.services import token_create
from community import services
from tests.factories import ForumFactory, UserFactory, make_answer, make_question


def test_the_schema_is_valid_without_warnings(tmp_path):
    # Raises on any warning (e.g. an unguessable serializer) and on an invalid schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")

    assert "/api/v1/questions/{id}/solved-too/" in (tmp_path / "api.yaml").read_text()


@pytest.fixture
def keep_connection():
    """What Django's test client does around a request: a request's end would otherwise
    close the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, keep_connection):
    """Two forums; questions by others, answered (one solved) and not; the token's member
    has a question of their own with an answer, and an answer to someone else's."""
    member = UserFactory(display_name="Token Holder")
    forums = [ForumFactory(slug="mobilfunk"), ForumFactory(slug="internet")]
    questions = [
        make_question(forum=forum, title=f"Router question number {n}", tags=["router"])
        for n, forum in enumerate(forums * 2)
    ]
    answers = [make_answer(question=question) for question in questions]
    answers.append(make_answer(question=questions[1], author=member))
    services.answer_accept(answer=answers[0], by=questions[0].author)
    questions.append(make_question(author=member, forum=forums[0], title="My own question"))
    answers.append(make_answer(question=questions[-1]))
    questions.append(make_question(forum=forums[1], title="A question nobody answered"))
    return {
        "token": token_create(
            user=member,
            name="contract",
            scopes=["read", "write", "privacy"],
            days=30,
            password="correct-horse-battery",
        ).key,
        "questions": [q.pk for q in questions],
        "answers": [a.pk for a in answers],
        "forums": [f.slug for f in forums],
    }


# Loaded when the module is collected (schema generation needs no database).
# schemathesis' lazy `from_fixture` loader relies on a pytest internal that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def _aim_at_seeded_objects(case, seeded) -> None:
    """Point two of three generated ids (and forums of valid bodies) at real objects, so
    success paths run too; the rest stay as generated and mostly meet 404 or 400."""
    parameters = case.path_parameters or {}
    if isinstance(parameters.get("id"), int) and parameters["id"] % 3:
        pool = (
            seeded["answers"] if case.path.startswith("/api/v1/answers/") else seeded["questions"]
        )
        parameters["id"] = pool[parameters["id"] % len(pool)]
    if isinstance(parameters.get("slug"), str) and len(parameters["slug"]) % 3:
        parameters["slug"] = seeded["forums"][0]
    body = case.body
    if case.meta.generation.mode.is_positive and isinstance(body, dict) and "forum" in body:
        body["forum"] = seeded["forums"][len(str(body.get("title"))) % 2]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    # The seeded rows are shared by an operation's examples on purpose: the state they
    # leave (a vote cast, an answer accepted) is what the next example meets.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_every_answer_conforms_to_the_schema(case, seeded):
    _aim_at_seeded_objects(case, seeded)

    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded['token']}"},
        # Valid by the schema is not always acceptable: the forum must exist, a
        # title must still be long enough once its spaces collapse, a question
        # needs an answer before it can have solved someone's problem too.
        excluded_checks=[positive_data_acceptance],
    )
