"""Every answer under /api/ is JSON in the API's error format ({"detail", "code"}), whatever
the path and whatever failed; the rest of the site keeps its HTML error pages."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def assert_json(response, status: int, body: dict) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json() == body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/forums/a%0Ab/",  # an encoded newline
        "/api/v1/forums/a%0A",
        "/api/v1/%0A",
        "/api/v1/questions/1%0D%0A/",
        "/api/v1/questions/%00/",  # NUL
        "/api/v1/forums/a%00b/",
        "/api/v1/forums/" + "x" * 5000 + "/",  # very long
        "/api/v1/questions/" + "9" * 400 + "/",
        "/api/v1/forums/caf%C3%A9/",  # unicode
        "/api/v1/%E2%80%AE%F0%9F%98%80/",
        "/api/v1/questions/1/answers/garbage",  # trailing garbage
        "/api/v1/questions/1/;x=1",
        "/api/v1/answers/1/kudos/more/",
        "/api/v1/forums/a/%2e%2e/%2e%2e/etc/passwd",
        "/api/v2/questions/",  # unknown prefixes
        "/api/v2/x",
        "/api/x",
        "/api/",
        "/api",
        "/api/%0A",
        "/api/schema/extra/",
    ],
)
def test_odd_paths_under_the_api_answer_a_json_404(client, path):
    assert_json(client.get(path), 404, NOT_FOUND)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_unknown_api_paths_answer_a_json_404_too(client, method):
    assert_json(getattr(client, method)("/api/v2/forums/a%0Ab/"), 404, NOT_FOUND)


def test_a_write_to_an_unknown_api_path_without_a_csrf_token_is_a_json_404(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert_json(client.patch("/api/v1/answers/null,null/"), 404, NOT_FOUND)


@pytest.mark.parametrize("path", ["/f/a%0Ab/", "/q/1%00/", "/nowhere/", "/apiary/"])
def test_elsewhere_a_missing_page_is_the_sites_html_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_request_for_another_host_under_the_api_is_a_json_400(client):
    response = client.get("/api/v1/forums/", HTTP_HOST="evil.example")

    assert_json(response, 400, {"detail": "Malformed request.", "code": "parse_error"})


@pytest.mark.urls("tests.config.error_urls")
def test_a_suspicious_request_under_the_api_is_a_json_400(client):
    assert_json(
        client.get("/api/v1/test/suspicious/"),
        400,
        {"detail": "Malformed request.", "code": "parse_error"},
    )


@pytest.mark.urls("tests.config.error_urls")
def test_a_refusal_outside_drf_under_the_api_is_a_json_403_with_its_reason(client):
    assert_json(
        client.get("/api/v1/test/refuse/"),
        403,
        {"detail": "Staff only.", "code": "permission_denied"},
    )


@pytest.mark.urls("tests.config.error_urls")
def test_a_crash_under_the_api_is_a_json_500_that_tells_nothing_of_it():
    client = Client(raise_request_exception=False)

    assert_json(
        client.get("/api/v1/test/crash/"),
        500,
        {"detail": "A server error occurred.", "code": "error"},
    )


@pytest.mark.urls("tests.config.error_urls")
@pytest.mark.parametrize(("path", "status"), [("/test/refuse/", 403), ("/test/crash/", 500)])
def test_elsewhere_refusals_and_crashes_keep_the_html_pages(path, status):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")


def test_the_api_error_messages_speak_the_requests_language(client):
    response = client.get("/api/v2/x", HTTP_ACCEPT_LANGUAGE="de")

    assert_json(response, 404, {"detail": "Nicht gefunden.", "code": "not_found"})


@pytest.mark.parametrize("path", ["/api", "/api/v1", "/api/v2", "/api/schema", "/api/v1/forums"])
def test_an_api_path_without_its_slash_is_a_json_404_not_an_html_redirect(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/", "/api/v1/questions/"])
def test_the_database_away_is_a_503_with_retry_after(path, monkeypatch, db):
    """A restart or a failover: nothing was done, trying again shortly works."""

    def away(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("community.selectors.forum_list", away)
    monkeypatch.setattr("community.selectors.question_list", away)
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if path.startswith("/api/"):
        assert response.json()["code"] == "unavailable"
    else:
        assert "Back in a moment" in response.content.decode()


def test_an_error_that_is_not_the_database_stays_a_500(monkeypatch, db):
    monkeypatch.setattr("community.selectors.forum_list", lambda: 1 / 0)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
