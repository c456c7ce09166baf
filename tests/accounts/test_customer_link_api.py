"""/api/v1/me/customer-account/: the customer-account link through the API."""

import pytest

from accounts.models import CustomerAccountLink
from billing.models import LocalMessage
from tests.accounts.customer_link_helpers import age, sent_code, wrong
from tests.factories import link_verified

pytestmark = pytest.mark.django_db

LINK = "/api/v1/me/customer-account/"
VERIFY = "/api/v1/me/customer-account/verify/"
State = CustomerAccountLink.State


@pytest.fixture
def api(api_client, member):
    api_client.force_authenticate(member)
    return api_client


def link(api, number="AB123456"):
    return api.post(LINK, {"customer_number": number}, format="json")


def verify(api, code):
    return api.post(VERIFY, {"code": code}, format="json")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


def test_anonymous_requests_are_401(api_client):
    for response in (
        api_client.get(LINK),
        api_client.post(LINK, {"customer_number": "AB123456"}, format="json"),
        api_client.delete(LINK),
        api_client.post(VERIFY, {"code": "123456"}, format="json"),
    ):
        assert response.status_code == 401
    assert not CustomerAccountLink.objects.exists()


def test_without_a_link_get_is_404(api):
    body = assert_error(api.get(LINK), 404, "not_found")

    assert body["detail"] == "You have not linked a customer number."


def test_a_member_links_and_verifies_a_number(api, member):
    response = link(api, "ab 123 456")

    assert response.status_code == 201
    body = response.json()
    assert (body["customer_number"], body["state"], body["verified_at"]) == (
        "AB123456",
        "pending",
        None,
    )
    assert body["code_sent_at"] < body["code_expires_at"]
    assert api.get(LINK).json()["state"] == "pending"

    response = verify(api, sent_code())

    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    assert response.json()["verified_at"]
    assert api.get(LINK).json()["state"] == "verified"


@pytest.mark.parametrize("body", [{}, {"customer_number": "AB-12"}, {"customer_number": "x" * 61}])
def test_a_malformed_number_is_400(api, body):
    body = assert_error(api.post(LINK, body, format="json"), 400, "invalid")

    assert "customer_number" in body["errors"]
    assert not CustomerAccountLink.objects.exists()


def test_a_number_verified_for_another_member_is_400(api, other_member):
    link_verified(other_member, "AB123456")

    body = assert_error(link(api), 400, "invalid")

    assert body["errors"] == {
        "customer_number": ["This customer number is linked to another member."]
    }
    assert not LocalMessage.objects.exists()


def test_linking_the_verified_number_again_is_409(api, member):
    link_verified(member, "AB123456")

    assert_error(link(api), 409, "conflict")


def test_a_second_code_within_a_minute_is_429_with_retry_after(api):
    link(api)

    response = link(api)

    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert LocalMessage.objects.count() == 1


def test_posting_the_pending_number_again_after_a_minute_sends_a_new_code(api, member):
    link(api)
    age(member, minutes=2)

    assert link(api).status_code == 201
    assert LocalMessage.objects.count() == 2


def test_a_wrong_code_is_400_and_counted(api, member):
    link(api)

    body = assert_error(verify(api, wrong(sent_code())), 400, "invalid")

    assert "You can try 4 more times" in body["errors"]["code"][0]
    assert CustomerAccountLink.objects.get().attempts == 1


def test_an_expired_code_is_400(api, member):
    link(api)
    age(member, minutes=31)

    body = assert_error(verify(api, sent_code()), 400, "invalid")

    assert "expired" in body["errors"]["code"][0]
    assert CustomerAccountLink.objects.get().state == State.PENDING


def test_after_too_many_wrong_codes_the_right_one_is_400(api):
    link(api)
    right = sent_code()
    for _attempt in range(5):
        verify(api, wrong(right))

    body = assert_error(verify(api, right), 400, "invalid")

    assert "Too many wrong codes" in body["errors"]["code"][0]
    assert CustomerAccountLink.objects.get().state == State.PENDING


@pytest.mark.parametrize("body", [{}, {"code": "12ab56"}, {"code": "1" * 21}])
def test_a_malformed_code_is_400_and_not_counted(api, body):
    link(api)

    assert_error(api.post(VERIFY, body, format="json"), 400, "invalid")

    assert CustomerAccountLink.objects.get().attempts == 0


def test_verifying_without_a_pending_link_is_409(api):
    assert_error(verify(api, "123456"), 409, "conflict")


def test_a_code_that_cannot_be_sent_is_503_and_the_link_stays_pending(api, billing_server):
    billing_server.mode = "fail"

    body = assert_error(link(api), 503, "code_not_sent")

    assert body["detail"].startswith("Your customer number is saved")
    assert api.get(LINK).json()["state"] == "pending"


def test_deleting_revokes_the_link_and_then_there_is_none(api, member):
    link_verified(member)

    assert api.delete(LINK).status_code == 204

    assert CustomerAccountLink.objects.get().state == State.REVOKED
    assert_error(api.get(LINK), 404, "not_found")
    assert_error(api.delete(LINK), 404, "not_found")


def test_a_member_never_sees_or_verifies_another_members_link(api_client, member, other_member):
    api_client.force_authenticate(member)
    link(api_client)
    code = sent_code()
    api_client.force_authenticate(other_member)

    assert_error(api_client.get(LINK), 404, "not_found")
    assert_error(api_client.post(VERIFY, {"code": code}, format="json"), 409, "conflict")
    assert_error(api_client.delete(LINK), 404, "not_found")
    assert CustomerAccountLink.objects.get().state == State.PENDING
