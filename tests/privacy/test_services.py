from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy import selectors, services
from privacy.models import ConsentRecord, ConsentText
from tests.privacy.conftest import publish

pytestmark = pytest.mark.django_db

Method = ConsentRecord.Method


def test_the_default_purposes_exist_with_version_one_in_english_and_german():
    texts = ConsentText.objects.select_related("purpose").order_by("purpose__position")

    assert [t.purpose.key for t in texts] == [
        "terms",
        "privacy",
        "email_notifications",
        "newsletter",
        "leaderboards",
        "personalisation",
    ]
    assert all(t.version == 1 and t.text and t.text_de for t in texts)
    assert [t.purpose.key for t in texts if t.purpose.required] == ["terms", "privacy"]


def test_withdrawing_adds_a_row_and_the_latest_row_is_the_state(newcomer):
    granted = services.consent_grant(
        user=newcomer, purpose_key="newsletter", method=Method.SETTINGS
    )

    withdrawn = services.consent_withdraw(
        user=newcomer, purpose_key="newsletter", method=Method.SETTINGS
    )

    rows = list(ConsentRecord.objects.filter(user=newcomer).order_by("pk"))
    assert rows == [granted, withdrawn]
    assert [r.granted for r in rows] == [True, False]
    granted.refresh_from_db()
    assert granted.granted is True
    assert selectors.has_consent(user=newcomer, purpose_key="newsletter") is False


def test_granting_twice_adds_one_row(newcomer):
    services.consent_grant(user=newcomer, purpose_key="newsletter", method=Method.SETTINGS)
    services.consent_grant(user=newcomer, purpose_key="newsletter", method=Method.API)

    assert ConsentRecord.objects.filter(user=newcomer).count() == 1


def test_has_consent_is_true_after_granting(newcomer):
    services.consent_grant(user=newcomer, purpose_key="leaderboards", method=Method.SETTINGS)

    assert selectors.has_consent(user=newcomer, purpose_key="leaderboards") is True
    assert selectors.has_consent(user=newcomer, purpose_key="newsletter") is False


def test_has_consent_is_false_after_a_new_version_of_the_purpose_is_published(newcomer):
    services.consent_grant(user=newcomer, purpose_key="newsletter", method=Method.SETTINGS)

    publish("newsletter")

    assert selectors.has_consent(user=newcomer, purpose_key="newsletter") is False


def test_a_text_published_for_later_does_not_count_yet(newcomer):
    services.consent_grant(user=newcomer, purpose_key="newsletter", method=Method.SETTINGS)
    services.consent_text_publish(
        purpose=ConsentText.objects.get(purpose__key="newsletter").purpose,
        text="Next month's text.",
        published_at=timezone.now() + timedelta(days=30),
    )

    assert selectors.has_consent(user=newcomer, purpose_key="newsletter") is True


def test_a_required_purpose_cannot_be_withdrawn_and_nothing_is_recorded(consenting_member):
    with pytest.raises(ValidationError) as error:
        services.consent_withdraw(
            user=consenting_member, purpose_key="terms", method=Method.SETTINGS
        )

    assert "delete your account" in error.value.message_dict["purpose"][0]
    assert selectors.has_consent(user=consenting_member, purpose_key="terms") is True
    assert ConsentRecord.objects.filter(user=consenting_member, granted=False).count() == 0


def test_granting_a_version_that_is_no_longer_current_is_refused(newcomer):
    publish("terms")

    with pytest.raises(ValidationError) as error:
        services.consent_grant(user=newcomer, purpose_key="terms", method=Method.PROMPT, version=1)

    assert "version" in error.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_publishing_numbers_versions_consecutively():
    assert [publish("terms").version, publish("terms").version] == [2, 3]


def test_signup_without_a_required_purpose_is_refused(newcomer):
    with pytest.raises(ValidationError):
        services.consents_record_signup(user=newcomer, granted_keys=["terms", "newsletter"])

    assert not ConsentRecord.objects.exists()


def test_missing_required_lists_the_required_purposes_not_accepted_in_their_current_version(
    consenting_member,
):
    assert selectors.missing_required(consenting_member) == []

    publish("privacy")

    assert [p.key for p in selectors.missing_required(consenting_member)] == ["privacy"]


def test_erasing_the_member_keeps_the_records_without_the_link(newcomer):
    services.consent_grant(user=newcomer, purpose_key="newsletter", method=Method.SETTINGS)

    newcomer.delete()

    record = ConsentRecord.objects.get()
    assert (record.user_id, record.granted, record.version) == (None, True, 1)
