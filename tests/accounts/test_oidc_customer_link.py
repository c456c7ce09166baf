"""The customer number the brand's identity provider vouches for at login
(customer_link_from_provider): verified at once, never someone else's, never a silent
change; what was not linked is logged and listed for staff in the admin."""

import logging
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from accounts import roles
from accounts.customer_link.services import (
    customer_link_from_provider,
    customer_link_issues_resolve,
    customer_link_start,
    customer_link_verify,
    verified_links,
)
from accounts.models import CustomerAccountLink, CustomerLinkIssue
from core.errors import ConsentRequired
from tests.accounts.customer_link_helpers import sent_code
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

State = CustomerAccountLink.State
Kind = CustomerLinkIssue.Kind
CHANGELIST = reverse("admin:accounts_customerlinkissue_changelist")


def link_from_provider(user, number):
    return customer_link_from_provider(user=user, customer_number=number, provider="telco")


def links(user) -> list[tuple[str, str, str]]:
    return [
        (link.customer_number, link.state, link.method)
        for link in user.customer_links.order_by("pk")
    ]


def issues() -> list[tuple[str, str, int]]:
    return [
        (issue.kind, issue.customer_number, issue.times)
        for issue in CustomerLinkIssue.objects.order_by("pk")
    ]


def test_the_number_is_linked_verified_without_a_code(member):
    link = link_from_provider(member, " ab 123456 ")

    assert links(member) == [("AB123456", State.VERIFIED, "provider")]
    assert link.verified_at is not None and link.verified_by is None
    assert list(verified_links()) == [link]
    assert issues() == []


def test_the_same_number_at_every_login_changes_nothing(member):
    first = link_from_provider(member, "AB123456")

    again = link_from_provider(member, "AB123456")

    assert again == first
    assert links(member) == [("AB123456", State.VERIFIED, "provider")]


def test_a_number_verified_by_code_stays_as_it_is_when_the_provider_sends_it(member):
    customer_link_start(user=member, customer_number="AB123456")
    customer_link_verify(user=member, code=sent_code())

    link_from_provider(member, "AB123456")

    assert links(member) == [("AB123456", State.VERIFIED, "code")]


def test_a_pending_link_to_the_number_is_verified_without_its_code(member):
    pending = customer_link_start(user=member, customer_number="AB123456")

    link = link_from_provider(member, "AB123456")

    assert link.pk == pending.pk
    assert links(member) == [("AB123456", State.VERIFIED, "provider")]


def test_a_pending_link_to_another_number_gives_way_to_the_providers(member):
    customer_link_start(user=member, customer_number="ZZ999999")

    link_from_provider(member, "AB123456")

    assert links(member) == [
        ("ZZ999999", State.REVOKED, "code"),
        ("AB123456", State.VERIFIED, "provider"),
    ]


def test_another_members_number_is_not_linked_and_is_shown_to_staff(member, other_member, caplog):
    link_from_provider(other_member, "AB123456")

    with caplog.at_level(logging.WARNING):
        assert link_from_provider(member, "AB123456") is None

    assert links(member) == []
    assert links(other_member) == [("AB123456", State.VERIFIED, "provider")]
    issue = CustomerLinkIssue.objects.get()
    assert (issue.user, issue.kind, issue.provider) == (member, Kind.TAKEN, "telco")
    assert f"not linked to member {member.pk}: taken" in caplog.text
    assert "AB123456" not in caplog.text  # the number is in the admin, not in the logs


def test_a_different_number_for_a_linked_member_is_not_relinked(member, caplog):
    link_from_provider(member, "AB123456")

    with caplog.at_level(logging.WARNING):
        link_from_provider(member, "CD654321")
        link_from_provider(member, "CD654321")

    assert links(member) == [("AB123456", State.VERIFIED, "provider")]
    assert issues() == [(Kind.CHANGED, "CD654321", 2)]
    assert caplog.text.count(f"not linked to member {member.pk}: changed") == 2


def test_an_invalid_number_is_not_linked_and_is_shown_to_staff(member):
    assert link_from_provider(member, "12-34") is None

    assert links(member) == []
    assert issues() == [(Kind.INVALID, "12-34", 1)]


def test_a_number_no_longer_sent_keeps_the_link_and_is_shown_to_staff(member, other_member):
    link_from_provider(member, "AB123456")

    link_from_provider(member, "")
    link_from_provider(other_member, "")  # never had one from a provider: nothing to say

    assert links(member) == [("AB123456", State.VERIFIED, "provider")]
    assert [(i.user, i.kind) for i in CustomerLinkIssue.objects.all()] == [(member, Kind.MISSING)]


def test_a_resolved_problem_seen_again_is_a_new_one(member, other_member, support_lead):
    link_from_provider(other_member, "AB123456")
    link_from_provider(member, "AB123456")

    resolved = customer_link_issues_resolve(issues=CustomerLinkIssue.objects.all(), by=support_lead)
    link_from_provider(member, "AB123456")

    assert resolved == 1
    assert [issue.resolved_at is None for issue in CustomerLinkIssue.objects.order_by("pk")] == [
        False,
        True,
    ]


def test_only_support_leads_and_community_managers_resolve_problems(member, moderator):
    link_from_provider(member, "12-34")

    with pytest.raises(PermissionDenied):
        customer_link_issues_resolve(issues=CustomerLinkIssue.objects.all(), by=moderator)

    assert CustomerLinkIssue.objects.get().resolved_at is None


def test_a_member_who_must_accept_new_terms_is_not_linked_yet(purposes):
    member = UserFactory(consents=False)

    with pytest.raises(ConsentRequired):
        link_from_provider(member, "AB123456")

    assert links(member) == []


@pytest.mark.django_db(transaction=True)
def test_of_two_members_whose_logins_send_the_same_number_at_once_one_gets_it(purposes):
    first, second = UserFactory(), UserFactory()
    barrier = threading.Barrier(2)
    results = {}

    def login(user):
        try:
            barrier.wait()
            results[user.pk] = link_from_provider(user, "AB123456")
        finally:
            connection.close()

    threads = [threading.Thread(target=login, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(link is None for link in results.values()) == [False, True]
    assert CustomerAccountLink.objects.filter(state=State.VERIFIED).count() == 1
    assert [issue.kind for issue in CustomerLinkIssue.objects.all()] == [Kind.TAKEN]


# --- The admin ---------------------------------------------------------------------------


def test_staff_list_the_problems_filtered_by_kind_and_resolve_them(client, member, other_member):
    lead = with_totp(UserFactory(role=roles.SUPPORT_LEADS, is_staff=True))
    client.force_login(lead)
    link_from_provider(other_member, "AB123456")
    link_from_provider(member, "AB123456")
    link_from_provider(member, "12-34")

    taken = client.get(CHANGELIST, {"kind__exact": "taken"})
    response = client.post(
        CHANGELIST,
        {"action": "resolve", "_selected_action": [i.pk for i in CustomerLinkIssue.objects.all()]},
        follow=True,
    )

    assert [issue.kind for issue in taken.context["cl"].result_list] == [Kind.TAKEN]
    assert "Resolved 2 problems." in response.content.decode()
    assert not CustomerLinkIssue.objects.filter(resolved_at=None).exists()
    assert client.get(reverse("admin:accounts_customerlinkissue_add")).status_code == 403
