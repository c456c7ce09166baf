"""/members/me/customer-account/: a member links and verifies their customer number."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import CustomerAccountLink
from billing.models import LocalMessage
from tests.accounts.customer_link_helpers import age, sent_code, wrong
from tests.factories import link_verified

pytestmark = pytest.mark.django_db

PAGE = reverse("customer_link:page")
VERIFY = reverse("customer_link:verify")
RESEND = reverse("customer_link:resend")
REVOKE = reverse("customer_link:revoke")
State = CustomerAccountLink.State


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_needs_a_login(client):
    for url in (PAGE, VERIFY, RESEND, REVOKE):
        response = client.post(url, {"customer_number": "AB123456", "code": "123456"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not CustomerAccountLink.objects.exists()


def test_the_settings_page_links_to_it(member_client):
    response = member_client.get(reverse("accounts:settings"))

    assert f'href="{PAGE}"' in response.content.decode()


def test_a_member_links_and_verifies_a_number(member_client, member):
    assert "not linked a customer number yet" in member_client.get(PAGE).content.decode()

    response = member_client.post(PAGE, {"customer_number": "ab 123 456"}, follow=True)

    page = response.content.decode()
    assert "We sent a code to your customer account" in page
    assert "<strong>AB123456</strong> is waiting for its code" in page
    assert f'action="{VERIFY}"' in page

    response = member_client.post(VERIFY, {"code": sent_code()}, follow=True)

    page = response.content.decode()
    assert "Your customer number is verified" in page
    assert "Your points are credited to customer number <strong>AB123456</strong>" in page
    assert CustomerAccountLink.objects.get(user=member).state == State.VERIFIED


def test_a_malformed_number_shows_the_error_on_the_form(member_client):
    response = member_client.post(PAGE, {"customer_number": "AB-12"})

    assert response.status_code == 200
    assert response.context["number_form"].errors == {
        "customer_number": ["This is not a valid customer number. You find yours on your bill."]
    }
    assert not CustomerAccountLink.objects.exists()


def test_a_number_of_another_member_shows_the_error_on_the_form(member_client, other_member):
    link_verified(other_member, "AB123456")

    response = member_client.post(PAGE, {"customer_number": "AB123456"})

    [error] = response.context["number_form"].errors["customer_number"]
    assert "linked to another member" in error
    assert not LocalMessage.objects.exists()


def test_a_wrong_code_shows_the_error_and_counts(member_client, member):
    member_client.post(PAGE, {"customer_number": "AB123456"})

    response = member_client.post(VERIFY, {"code": wrong(sent_code())})

    assert response.status_code == 200
    assert "You can try 4 more times" in response.context["code_form"].errors["code"][0]
    assert CustomerAccountLink.objects.get(user=member).attempts == 1


def test_verifying_without_a_pending_link_says_so(member_client):
    response = member_client.post(VERIFY, {"code": "123456"})

    assert response.status_code == 302
    assert messages_of(response) == ["You have no customer number waiting for a code."]


def test_a_new_code_too_soon_is_refused_with_a_message(member_client):
    member_client.post(PAGE, {"customer_number": "AB123456"}, follow=True)

    response = member_client.post(RESEND)

    assert messages_of(response) == ["Please wait a minute before asking for another code."]
    assert LocalMessage.objects.count() == 1


def test_a_new_code_after_a_minute(member_client, member):
    member_client.post(PAGE, {"customer_number": "AB123456"}, follow=True)
    age(member, minutes=2)

    response = member_client.post(RESEND)

    assert messages_of(response) == ["We sent you a new code. The previous one no longer works."]
    assert LocalMessage.objects.count() == 2


def test_removing_the_number(member_client, member):
    link_verified(member)

    response = member_client.post(REVOKE, follow=True)

    assert "not linked a customer number yet" in response.content.decode()
    assert CustomerAccountLink.objects.get().state == State.REVOKED


def test_a_code_that_cannot_be_sent_keeps_the_link_and_says_so(
    member_client, member, billing_server
):
    billing_server.mode = "fail"

    response = member_client.post(PAGE, {"customer_number": "AB123456"}, follow=True)

    assert "we could not send the code right now" in response.content.decode()
    assert CustomerAccountLink.objects.get(user=member).state == State.PENDING


def _demo_hint_shown(client) -> bool:
    client.post(PAGE, {"customer_number": "AB123456"})
    return "The code is in the server" in client.get(PAGE).content.decode()


def test_in_debug_the_local_gateway_page_says_where_the_demo_code_is(member_client, settings):
    settings.DEBUG = True

    assert _demo_hint_shown(member_client)


def test_without_debug_there_is_no_demo_hint(member_client, settings):
    settings.DEBUG = False

    assert not _demo_hint_shown(member_client)


def test_with_a_real_billing_system_there_is_no_demo_hint(member_client, settings, billing_server):
    settings.DEBUG = True

    assert not _demo_hint_shown(member_client)
