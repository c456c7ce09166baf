import pytest

from privacy import selectors
from privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/consents/"


@pytest.fixture
def api(api_client, consenting_member):
    api_client.force_authenticate(consenting_member)
    return api_client


def test_the_list_shows_every_purpose_with_state_and_history(api):
    response = api.get(LIST)

    assert response.status_code == 200
    by_key = {item["purpose"]: item for item in response.json()}
    assert list(by_key) == [
        "terms",
        "privacy",
        "email_notifications",
        "newsletter",
        "leaderboards",
        "personalisation",
    ]
    assert by_key["terms"]["granted"] is True
    assert by_key["terms"]["required"] is True
    assert by_key["terms"]["history"][0]["method"] == "signup"
    assert by_key["newsletter"] == by_key["newsletter"] | {
        "granted": False,
        "version": 1,
        "since": None,
        "history": [],
    }


def test_granting_through_the_api_records_the_method(api, consenting_member):
    response = api.post(f"{LIST}newsletter/", {"granted": True}, format="json")

    assert response.status_code == 200
    assert response.json()["granted"] is True
    assert response.json()["history"][0]["method"] == "api"
    assert selectors.has_consent(user=consenting_member, purpose_key="newsletter") is True


def test_withdrawing_through_the_api(api, consenting_member):
    api.post(f"{LIST}newsletter/", {"granted": True}, format="json")

    response = api.post(f"{LIST}newsletter/", {"granted": False}, format="json")

    assert response.status_code == 200
    assert [h["granted"] for h in response.json()["history"]] == [False, True]
    assert selectors.has_consent(user=consenting_member, purpose_key="newsletter") is False


def test_withdrawing_a_required_purpose_is_a_400_with_the_reason(api, consenting_member):
    response = api.post(f"{LIST}terms/", {"granted": False}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "delete your account" in body["errors"]["purpose"][0]
    assert selectors.has_consent(user=consenting_member, purpose_key="terms") is True


def test_a_body_without_granted_is_a_400(api):
    response = api.post(f"{LIST}newsletter/", {}, format="json")

    assert response.status_code == 400
    assert "granted" in response.json()["errors"]
    assert not ConsentRecord.objects.filter(purpose__key="newsletter").exists()


def test_an_unknown_purpose_is_a_404(api):
    response = api.post(f"{LIST}nope/", {"granted": True}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), [("get", LIST), ("post", f"{LIST}newsletter/")])
def test_without_a_login_the_api_answers_401(api_client, method, path):
    response = getattr(api_client, method)(path, {"granted": True}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not ConsentRecord.objects.exists()


def test_the_schema_declares_the_consent_operations(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    paths = response.json()["paths"]
    operation = paths["/api/v1/me/consents/{purpose}/"]["post"]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "406", "415", "503"}
    assert "get" in paths["/api/v1/me/consents/"]


@pytest.mark.parametrize("purpose", ["a%00b", "caf%C3%A9", "new%0Aline"])
def test_a_purpose_that_cannot_be_a_key_is_a_json_404(api, purpose):
    response = api.post(f"{LIST}{purpose}/", {"granted": True}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
