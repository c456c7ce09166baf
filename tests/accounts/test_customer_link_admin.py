"""Staff see customer-account links in the admin and confirm pending ones; nobody edits them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.customer_link.services import customer_link_start
from accounts.models import CustomerAccountLink
from billing.gateway import Credit, LocalGateway
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_customeraccountlink_changelist")
State = CustomerAccountLink.State


def confirm(client, *links):
    return client.post(
        CHANGELIST,
        {"action": "confirm_verified", "_selected_action": [link.pk for link in links]},
        follow=True,
    )


def test_links_are_listed_searchable_by_number_and_not_editable(admin_client, member):
    link = customer_link_start(user=member, customer_number="AB123456")

    response = admin_client.get(CHANGELIST, {"q": "ab123456", "state__exact": "pending"})
    detail = admin_client.get(reverse("admin:accounts_customeraccountlink_change", args=[link.pk]))

    assert list(response.context["cl"].result_list) == [link]
    assert "code_hash" not in detail.content.decode()
    assert admin_client.get(reverse("admin:accounts_customeraccountlink_add")).status_code == 403


def test_an_admin_confirms_pending_links(admin_client, member, other_member):
    pending = customer_link_start(user=member, customer_number="AB123456")
    customer_link_start(user=other_member, customer_number="CD123456")
    revoked = CustomerAccountLink.objects.create(
        user=other_member, customer_number="EF123456", state=State.REVOKED
    )

    response = confirm(admin_client, pending, revoked)

    pending.refresh_from_db()
    assert pending.state == State.VERIFIED
    assert pending.verified_by.email == "root@example.com"
    assert CustomerAccountLink.objects.get(pk=revoked.pk).state == State.REVOKED
    assert "Confirmed 1 customer number." in response.content.decode()


def test_staff_without_a_support_role_cannot_confirm(client, member):
    clerk = with_totp(UserFactory(is_staff=True))
    clerk.user_permissions.add(Permission.objects.get(codename="view_customeraccountlink"))
    client.force_login(clerk)
    link = customer_link_start(user=member, customer_number="AB123456")

    response = confirm(client, link)

    assert "Only support leads and community managers" in response.content.decode()
    assert CustomerAccountLink.objects.get().state == State.PENDING


def test_the_local_gateway_records_are_shown_read_only(admin_client):
    credit = Credit(
        key="k", customer_number="AB123456", amount_cents=100, currency="EUR", reference=""
    )
    LocalGateway().send_credits([credit])

    response = admin_client.get(reverse("admin:billing_localcredit_changelist"))

    assert "AB123456" in response.content.decode()
    assert admin_client.get(reverse("admin:billing_localcredit_add")).status_code == 403
    assert admin_client.get(reverse("admin:billing_localmessage_changelist")).status_code == 200
