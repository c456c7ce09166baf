"""Which sites may read the widget's JSON from a browser: those a community manager allows
in the admin, and the community itself. Others are served without the CORS header (the
browser then keeps the answer from their page), and may not say "solved my problem"."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts import roles
from insights.models import Event, EventKind
from tests.factories import UserFactory, with_totp
from tests.widget.conftest import HOME, proof_for
from widget.models import AllowedOrigin, origin_normal
from widget.permissions import widget_groups_grant

pytestmark = pytest.mark.django_db

HELP = "https://help.example.com"
TOP = "/widget/v1/top/"


def solved_url(question) -> str:
    return f"/widget/v1/questions/{question.pk}/solved/"


@pytest.fixture
def allowed():
    return AllowedOrigin.objects.create(origin=HELP)


def test_an_allowed_origin_may_read_the_answers(client, allowed):
    response = client.get(TOP, HTTP_ORIGIN=HELP)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == HELP
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


def test_another_origin_is_served_without_the_header(client, allowed):
    response = client.get(TOP, HTTP_ORIGIN="https://evil.example.net")

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "Origin" in response["Vary"]  # a cache keeps each origin's answer apart


def test_a_request_without_origin_gets_no_header(client, allowed):
    assert "Access-Control-Allow-Origin" not in client.get(TOP)


def test_the_communitys_own_origin_is_always_allowed(client, settings):
    settings.SITE_URL = "https://community.example.com/"

    for origin in ("http://testserver", "https://community.example.com"):
        assert client.get(TOP, HTTP_ORIGIN=origin)["Access-Control-Allow-Origin"] == origin


def test_the_preflight_of_a_solved_allows_a_json_post_from_an_allowed_origin(
    client, allowed, solved
):
    response = client.options(
        solved_url(solved),
        HTTP_ORIGIN=HELP,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == HELP
    assert response["Access-Control-Allow-Methods"] == "POST"
    assert response["Access-Control-Allow-Headers"] == "Content-Type"
    assert response["Access-Control-Max-Age"] == "600"
    assert not response.cookies


def test_the_preflight_of_another_origin_allows_nothing(client, allowed, solved):
    response = client.options(
        solved_url(solved),
        HTTP_ORIGIN="https://evil.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_a_preflight_for_a_method_the_endpoint_does_not_answer_allows_nothing(client, allowed):
    response = client.options(TOP, HTTP_ORIGIN=HELP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE")

    assert "Access-Control-Allow-Methods" not in response


def test_solved_from_an_origin_not_allowed_is_refused_and_counts_nothing(client, solved):
    response = client.post(
        solved_url(solved),
        {"proof": proof_for(solved)},
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example.net",
        **HOME,
    )

    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"
    assert not Event.objects.filter(kind=EventKind.WIDGET_SOLVED).exists()


def test_solved_from_an_allowed_origin_counts(client, allowed, solved):
    response = client.post(
        solved_url(solved),
        {"proof": proof_for(solved)},
        content_type="application/json",
        HTTP_ORIGIN=HELP,
        **HOME,
    )

    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == HELP


# --- Allowed origins in the admin -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://Help.Example.com/", "https://help.example.com"),
        ("https://help.example.com:443", "https://help.example.com"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        (" http://[::1]:8080 ", "http://[::1]:8080"),
    ],
)
def test_an_origin_is_kept_as_a_browser_sends_it(typed, origin):
    assert origin_normal(typed) == origin


@pytest.mark.parametrize(
    "typed",
    [
        "help.example.com",
        "https://help.example.com/faq/",
        "https://help.example.com/?a=1",
        "ftp://help.example.com",
        "https://user:pw@help.example.com",
        "https://help.example.com:99999",
        "null",
    ],
)
def test_anything_but_an_origin_is_refused(typed):
    with pytest.raises(ValidationError):
        origin_normal(typed)


def _community_manager_client(client):
    manager = with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS, is_staff=True))
    widget_groups_grant(apps)
    client.force_login(manager)
    return client


def test_a_community_manager_allows_an_origin_in_the_admin_and_it_holds_at_once(
    client, django_capture_on_commit_callbacks
):
    admin = _community_manager_client(client)
    assert "Access-Control-Allow-Origin" not in client.get(TOP, HTTP_ORIGIN=HELP)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/widget/allowedorigin/add/", {"origin": "https://Help.Example.com/", "note": ""}
        )

    assert response.status_code == 302
    assert AllowedOrigin.objects.get().origin == HELP
    client.logout()
    assert client.get(TOP, HTTP_ORIGIN=HELP)["Access-Control-Allow-Origin"] == HELP


def test_the_admin_refuses_an_address_with_a_path(client):
    admin = _community_manager_client(client)

    response = admin.post(
        "/admin/widget/allowedorigin/add/", {"origin": "https://help.example.com/faq/"}
    )

    assert response.status_code == 200
    assert "no path" in response.content.decode()
    assert not AllowedOrigin.objects.exists()


def test_a_support_lead_may_not_change_the_allowed_origins(client):
    lead = with_totp(UserFactory(role=roles.SUPPORT_LEADS, is_staff=True))
    client.force_login(lead)

    assert client.get("/admin/widget/allowedorigin/add/").status_code == 403
