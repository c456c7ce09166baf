"""The customer-account link: a member links the customer number their points are
credited to, and it is verified (a code through the billing gateway, or staff) first."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.customer_link import services as customer_link
from accounts.customer_link.services import (
    CodeNotSent,
    TooManyCodes,
    customer_link_confirm_by_staff,
    customer_link_resend,
    customer_link_revoke,
    customer_link_start,
    customer_link_verify,
)
from accounts.models import CustomerAccountLink
from billing.gateway import Credit, LocalGateway
from billing.gdpr import pseudonym
from billing.models import LocalCredit, LocalMessage
from core.errors import Conflict
from tests.accounts.customer_link_helpers import age, sent_code, wrong
from tests.factories import UserFactory, link_verified

pytestmark = pytest.mark.django_db

State = CustomerAccountLink.State


def _error(excinfo, field: str) -> str:
    return " ".join(excinfo.value.message_dict[field])


def start_and_verify(user, number="AB123456") -> CustomerAccountLink:
    customer_link_start(user=user, customer_number=number)
    return customer_link_verify(user=user, code=sent_code())


# --- Linking --------------------------------------------------------------------------


def test_linking_stores_the_normalised_number_pending_and_sends_a_code(member):
    link = customer_link_start(user=member, customer_number=" ab 123 456 ")

    message = LocalMessage.objects.get()
    assert (link.customer_number, link.state) == ("AB123456", State.PENDING)
    assert (message.customer_number, message.language) == ("AB123456", "en")
    assert len(message.code) == 6
    assert message.code not in link.code_hash
    assert link.code_expires_at == link.code_sent_at + customer_link.CODE_LIFETIME
    assert customer_link.verified_link_for(member) is None


@pytest.mark.parametrize("number", ["", "ABC12", "AB-123456", "Ä1234567", "A" * 21])
def test_a_malformed_number_is_refused_and_nothing_is_sent(member, number):
    with pytest.raises(ValidationError) as excinfo:
        customer_link_start(user=member, customer_number=number)

    assert "not a valid customer number" in _error(excinfo, "customer_number")
    assert not CustomerAccountLink.objects.exists()
    assert not LocalMessage.objects.exists()


def test_the_number_pattern_is_a_setting(member, settings):
    settings.CUSTOMER_NUMBER_PATTERN = r"^KD-\d{4}$"

    link = customer_link_start(user=member, customer_number="kd-1234")

    assert link.customer_number == "KD-1234"


def test_a_number_verified_for_another_member_is_refused(member, other_member):
    link_verified(other_member, "AB123456")

    with pytest.raises(ValidationError) as excinfo:
        customer_link_start(user=member, customer_number="AB123456")

    assert "linked to another member" in _error(excinfo, "customer_number")
    assert not CustomerAccountLink.objects.filter(user=member).exists()
    assert not LocalMessage.objects.exists()


def test_linking_the_verified_number_again_is_a_conflict(member):
    start_and_verify(member)

    with pytest.raises(Conflict, match="already linked to your account"):
        customer_link_start(user=member, customer_number="ab123456")


def test_changing_the_number_revokes_the_old_link_and_keeps_it_as_history(member):
    old = start_and_verify(member)
    age(member, minutes=2)

    new = customer_link_start(user=member, customer_number="CD999999")

    old.refresh_from_db()
    assert old.state == State.REVOKED
    assert old.revoked_at is not None
    assert new.state == State.PENDING
    assert customer_link.current_link_for(member) == new
    assert customer_link.verified_link_for(member) is None


# --- Verifying ------------------------------------------------------------------------


def test_the_right_code_verifies_the_link(member):
    customer_link_start(user=member, customer_number="AB123456")

    link = customer_link_verify(user=member, code=f" {sent_code()[:3]} {sent_code()[3:]} ")

    assert link.state == State.VERIFIED
    assert link.method == CustomerAccountLink.Method.CODE
    assert link.verified_at is not None
    assert link.code_hash == ""
    assert customer_link.verified_link_for(member) == link
    assert list(customer_link.verified_links()) == [link]


def test_a_wrong_code_is_counted_and_says_how_many_tries_are_left(member):
    customer_link_start(user=member, customer_number="AB123456")

    with pytest.raises(ValidationError) as excinfo:
        customer_link_verify(user=member, code=wrong(sent_code()))

    assert "You can try 4 more times" in _error(excinfo, "code")
    link = CustomerAccountLink.objects.get()
    assert (link.state, link.attempts) == (State.PENDING, 1)


def test_after_five_wrong_codes_even_the_right_one_is_refused_until_a_new_code(member):
    customer_link_start(user=member, customer_number="AB123456")
    right = sent_code()
    for _attempt in range(customer_link.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            customer_link_verify(user=member, code=wrong(right))

    with pytest.raises(ValidationError) as excinfo:
        customer_link_verify(user=member, code=right)

    assert "Too many wrong codes" in _error(excinfo, "code")
    assert CustomerAccountLink.objects.get().attempts == customer_link.MAX_ATTEMPTS
    age(member, minutes=2)
    customer_link_resend(user=member)
    assert customer_link_verify(user=member, code=sent_code()).state == State.VERIFIED


def test_an_expired_code_is_refused_without_counting(member):
    customer_link_start(user=member, customer_number="AB123456")
    age(member, minutes=31)

    with pytest.raises(ValidationError) as excinfo:
        customer_link_verify(user=member, code=sent_code())

    assert "expired" in _error(excinfo, "code")
    assert CustomerAccountLink.objects.get().attempts == 0


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_a_malformed_code_is_refused_without_counting(member, code):
    customer_link_start(user=member, customer_number="AB123456")

    with pytest.raises(ValidationError) as excinfo:
        customer_link_verify(user=member, code=code)

    assert "6-digit code" in _error(excinfo, "code")
    assert CustomerAccountLink.objects.get().attempts == 0


def test_verifying_without_a_pending_link_is_a_conflict(member):
    with pytest.raises(Conflict, match="no customer number waiting"):
        customer_link_verify(user=member, code="123456")


def test_a_member_cannot_use_another_members_code(member, other_member):
    customer_link_start(user=member, customer_number="AB123456")

    with pytest.raises(Conflict):
        customer_link_verify(user=other_member, code=sent_code())

    assert CustomerAccountLink.objects.get().state == State.PENDING


def test_of_two_members_waiting_for_the_same_number_only_the_first_to_verify_gets_it(
    member, other_member
):
    customer_link_start(user=member, customer_number="AB123456")
    member_code = sent_code()
    start_and_verify(other_member)

    with pytest.raises(ValidationError) as excinfo:
        customer_link_verify(user=member, code=member_code)

    assert "linked to another member" in _error(excinfo, "customer_number")
    assert CustomerAccountLink.objects.get(user=member).state == State.PENDING


# --- Sending codes ---------------------------------------------------------------------


def test_a_new_code_replaces_the_previous_one(member, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(customer_link.secrets, "randbelow", lambda _limit: next(codes))
    customer_link_start(user=member, customer_number="AB123456")
    age(member, minutes=2)

    customer_link_resend(user=member)

    with pytest.raises(ValidationError):
        customer_link_verify(user=member, code="111111")
    assert customer_link_verify(user=member, code="222222").state == State.VERIFIED


def test_linking_the_pending_number_again_sends_a_new_code(member):
    first = customer_link_start(user=member, customer_number="AB123456")
    age(member, minutes=2)

    again = customer_link_start(user=member, customer_number="AB 123 456")

    assert again.pk == first.pk
    assert LocalMessage.objects.count() == 2
    assert CustomerAccountLink.objects.count() == 1


def test_one_code_a_minute(member):
    customer_link_start(user=member, customer_number="AB123456")

    with pytest.raises(TooManyCodes, match="wait a minute") as excinfo:
        customer_link_resend(user=member)

    assert 0 < excinfo.value.retry_after <= 60
    assert LocalMessage.objects.count() == 1


def test_five_codes_a_day_even_when_changing_numbers(member):
    for number in ["AB000001", "AB000002", "AB000003", "AB000004", "AB000005"]:
        customer_link_start(user=member, customer_number=number)
        age(member, minutes=2)

    with pytest.raises(TooManyCodes, match="too many codes today") as excinfo:
        customer_link_start(user=member, customer_number="AB000006")

    assert excinfo.value.retry_after > 23 * 3600
    assert LocalMessage.objects.count() == 5
    assert customer_link.current_link_for(member).customer_number == "AB000005"
    age(member, days=1)
    customer_link_resend(user=member)
    assert LocalMessage.objects.count() == 6


def test_resending_without_a_pending_link_is_a_conflict(member):
    with pytest.raises(Conflict):
        customer_link_resend(user=member)


def test_when_the_code_cannot_be_sent_the_pending_link_is_kept_for_a_resend(member, billing_server):
    billing_server.mode = "fail"

    with pytest.raises(CodeNotSent) as excinfo:
        customer_link_start(user=member, customer_number="AB123456")

    link = CustomerAccountLink.objects.get()
    assert excinfo.value.link == link
    assert link.state == State.PENDING
    billing_server.mode = "accept"
    age(member, minutes=2)
    customer_link_resend(user=member)
    [message] = billing_server.messages
    assert message["customer_number"] == "AB123456"
    assert customer_link_verify(user=member, code=message["code"]).state == State.VERIFIED


# --- Staff, revoking -------------------------------------------------------------------


def test_a_support_lead_confirms_a_pending_link(member, support_lead):
    link = customer_link_start(user=member, customer_number="AB123456")

    confirmed = customer_link_confirm_by_staff(link=link, by=support_lead)

    assert confirmed.state == State.VERIFIED
    assert confirmed.method == CustomerAccountLink.Method.STAFF
    assert confirmed.verified_by == support_lead
    assert customer_link.verified_link_for(member) == confirmed


def test_members_and_moderators_cannot_confirm(member, other_member, moderator):
    link = customer_link_start(user=member, customer_number="AB123456")

    for user in (other_member, moderator):
        with pytest.raises(PermissionDenied):
            customer_link_confirm_by_staff(link=link, by=user)

    assert CustomerAccountLink.objects.get().state == State.PENDING


def test_staff_cannot_confirm_their_own_link(support_lead):
    link = customer_link_start(user=support_lead, customer_number="AB123456")

    with pytest.raises(PermissionDenied, match="your own"):
        customer_link_confirm_by_staff(link=link, by=support_lead)


def test_only_a_pending_link_can_be_confirmed(member, support_lead):
    link = start_and_verify(member)

    with pytest.raises(Conflict):
        customer_link_confirm_by_staff(link=link, by=support_lead)


def test_revoking_ends_the_link_and_keeps_it_as_history(member):
    start_and_verify(member)

    assert customer_link_revoke(user=member) is True

    link = CustomerAccountLink.objects.get()
    assert link.state == State.REVOKED
    assert link.revoked_at is not None
    assert customer_link.verified_link_for(member) is None
    assert customer_link_revoke(user=member) is False


# --- Constraints and concurrency -------------------------------------------------------


def test_a_member_has_at_most_one_current_link(member):
    link_verified(member, "AB123456")

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAccountLink.objects.create(user=member, customer_number="CD123456")

    CustomerAccountLink.objects.create(user=member, customer_number="CD123456", state=State.REVOKED)


def test_a_number_is_verified_for_at_most_one_member(member, other_member):
    link_verified(member, "AB123456")
    CustomerAccountLink.objects.create(user=other_member, customer_number="AB123456")

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAccountLink.objects.filter(user=other_member).update(state=State.VERIFIED)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_verifications_verify_once():
    member = UserFactory()
    customer_link_start(user=member, customer_number="AB123456")
    code = sent_code()
    barrier = threading.Barrier(2)
    outcomes = []

    def verify():
        try:
            barrier.wait()
            customer_link_verify(user=member, code=code)
            outcomes.append("verified")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=verify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "verified"]
    link = CustomerAccountLink.objects.get()
    assert link.state == State.VERIFIED
    assert link.attempts == 0


# --- Privacy ---------------------------------------------------------------------------


def test_the_export_lists_every_link_without_code_hashes(member):
    start_and_verify(member)
    age(member, minutes=2)
    customer_link_start(user=member, customer_number="CD999999")

    rows = list(customer_link.customer_links_export(member))

    assert [(r["customer_number"], r["state"], r["verified_by"]) for r in rows] == [
        ("AB123456", "revoked", "code"),
        ("CD999999", "pending", None),
    ]
    assert set(rows[0]) == {
        "customer_number",
        "state",
        "created_at",
        "code_sent_at",
        "verified_at",
        "verified_by",
        "revoked_at",
    }


def test_erasure_deletes_links_and_messages_and_pseudonymises_credits(member, other_member):
    start_and_verify(member, "AB123456")
    start_and_verify(other_member, "CD999999")
    LocalGateway().send_credits(
        [
            Credit(key=key, customer_number=number, amount_cents=100, currency="EUR", reference="")
            for key, number in [("k0", "AB123456"), ("k1", "CD999999")]
        ]
    )

    customer_link.customer_links_erase(member)

    assert not CustomerAccountLink.objects.filter(user=member).exists()
    assert list(LocalMessage.objects.values_list("customer_number", flat=True)) == ["CD999999"]
    assert dict(LocalCredit.objects.values_list("key", "customer_number")) == {
        "k0": pseudonym("AB123456"),
        "k1": "CD999999",
    }
    assert len(pseudonym("AB123456")) == 64


def test_erasure_keeps_the_records_of_a_number_another_member_also_linked(member, other_member):
    start_and_verify(member, "AB123456")
    customer_link_revoke(user=member)
    start_and_verify(other_member, "AB123456")

    customer_link.customer_links_erase(member)

    assert not CustomerAccountLink.objects.filter(user=member).exists()
    assert LocalMessage.objects.filter(customer_number="AB123456").count() == 2
    assert CustomerAccountLink.objects.get(user=other_member).state == State.VERIFIED


def test_links_go_when_the_member_is_deleted(member):
    start_and_verify(member)

    member.delete()

    assert not CustomerAccountLink.objects.exists()
