"""The OpenAPI schema is the contract: valid, and every answer the API gives conforms to it.

Schemathesis generates requests (valid ones and deliberately broken ones) for
every operation and sends them to the Django WSGI app on PostgreSQL with
seeded forums, questions, answers and notifications and a member's token. Every
id, slug and key in a valid path names a real object, so the success paths run
whatever ids the generator draws; a known-missing one is sent to every such
operation apart. No request may get a 5xx, and every response must have a
documented status, content type and body. The number of examples per operation
comes from the hypothesis profile (tests/conftest.py).
"""

import zlib

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.tokens.services import token_create
from community import services
from notifications.models import Notification
from privacy.models import ConsentPurpose
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
def seeded(db, keep_connection, purposes):
    """Two forums; questions by others, answered (one solved) and not; the token's member
    has a question of their own with an answer (and so a notification), and an answer to
    someone else's."""
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
        "notifications": list(
            Notification.objects.filter(recipient=member).values_list("pk", flat=True)
        ),
        "purposes": list(ConsentPurpose.objects.values_list("key", flat=True)),
    }


# Loaded when the module is collected (schema generation needs no database).
# schemathesis' lazy `from_fixture` loader relies on a pytest internal that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


# The seeded objects a path parameter names, by the path's start and the parameter.
POOLS = {
    ("/api/v1/answers/", "id"): "answers",
    ("/api/v1/questions/", "id"): "questions",
    ("/api/v1/notifications/", "id"): "notifications",
    ("/api/v1/forums/", "slug"): "forums",
    ("/api/v1/me/consents/", "purpose"): "purposes",
}
# Names no seeded object has: every operation with a path parameter meets them apart.
MISSING = {"id": 2**31 - 1, "slug": "no-such-forum", "purpose": "no-such-purpose"}


def _pool(path: str, parameter: str, seeded) -> list:
    for (start, name), key in POOLS.items():
        if path.startswith(start) and parameter == name:
            assert seeded[key], f"nothing seeded for {{{parameter}}} in {path}"
            return seeded[key]
    raise AssertionError(f"No seeded objects for {{{parameter}}} in {path}: add them to POOLS.")


def _path_is_valid(case) -> bool:
    """Whether the generator meant the path to be valid (a broken one stays as generated:
    its 404 or 400 is the point)."""
    component = case.meta.components.get(ParameterLocation.PATH)
    return (component.mode if component else case.meta.generation.mode).is_positive


def _aim_at_seeded_objects(case, seeded) -> None:
    """Point every id, slug and key of a valid path at a real object (which one follows
    from the generated value, so the examples spread over the pool), and the forums of
    valid bodies too, so that success paths run for every operation."""
    if case.path_parameters and _path_is_valid(case):
        for name, value in case.path_parameters.items():
            pool = _pool(case.path, name, seeded)
            case.path_parameters[name] = pool[zlib.crc32(str(value).encode()) % len(pool)]
    body = case.body
    if case.meta.generation.mode.is_positive and isinstance(body, dict) and "forum" in body:
        body["forum"] = seeded["forums"][len(str(body.get("title"))) % 2]


CONSENT_CHANGE = "/api/v1/me/consents/{purpose}/"
SOLVED_TOO = "/api/v1/questions/{id}/solved-too/"


@schema.parametrize()
@settings(
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


def _post(path: str, seeded, **parameters):
    return (
        schema[path]["POST"]
        .Case(media_type="application/json", **parameters)
        .call(headers={"Authorization": f"Bearer {seeded['token']}"})
    )


def test_a_consent_change_takes_only_a_boolean(seeded):
    """DRF's own BooleanField would take 0, 1, "yes" and "off", which the schema forbids."""
    response = _post(
        CONSENT_CHANGE, seeded, path_parameters={"purpose": "newsletter"}, body={"granted": 0}
    )

    assert response.status_code == 400


def test_solved_too_refuses_an_overlong_proof_from_a_member_too(seeded):
    question = seeded["questions"][0]

    response = _post(
        SOLVED_TOO, seeded, path_parameters={"id": question}, body={"proof": "x" * 1001}
    )

    assert response.status_code == 400


OPERATIONS_WITH_PATH_PARAMETERS = [
    operation
    for operation in (result.ok() for result in schema.get_all_operations())
    if operation.path_parameters
]
# What a valid request needs besides the path, so that only the missing object is wrong.
BODIES = {"/api/v1/me/consents/{purpose}/": {"granted": True}}


@pytest.mark.parametrize(
    "operation", OPERATIONS_WITH_PATH_PARAMETERS, ids=lambda operation: operation.label
)
def test_a_missing_object_is_a_documented_404(operation, seeded):
    body = {"body": BODIES.get(operation.path, {})} if len(operation.body) else {}
    case = operation.Case(
        path_parameters={
            parameter.name: MISSING[parameter.name] for parameter in operation.path_parameters
        },
        media_type="application/json",
        **body,
    )

    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded['token']}"},
        excluded_checks=[positive_data_acceptance],
    )

    assert response.status_code == 404
