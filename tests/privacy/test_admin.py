import pytest
from django.urls import reverse

from privacy import services
from privacy.models import ConsentPurpose, ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(newcomer):
    return services.consent_grant(user=newcomer, purpose_key="newsletter", method="settings")


def test_consent_records_are_listed_but_cannot_be_added_changed_or_deleted(admin_client, record):
    changelist = admin_client.get(reverse("admin:privacy_consentrecord_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [record]

    assert admin_client.get(reverse("admin:privacy_consentrecord_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:privacy_consentrecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    admin_client.post(
        reverse("admin:privacy_consentrecord_change", args=[record.pk]), {"granted": ""}
    )
    record.refresh_from_db()
    assert record.granted is True


def test_adding_a_text_in_the_admin_publishes_the_next_version(admin_client):
    terms = ConsentPurpose.objects.get(key="terms")

    response = admin_client.post(
        reverse("admin:privacy_consenttext_add"),
        {
            "purpose": terms.pk,
            "text": "The second edition.",
            "text_de": "Die zweite Fassung.",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    assert terms.texts.order_by("-version").first().text == "The second edition."
    assert terms.texts.order_by("-version").first().version == 2


def test_a_published_text_cannot_be_changed_in_the_admin(admin_client):
    text = ConsentText.objects.get(purpose__key="terms", version=1)

    admin_client.post(
        reverse("admin:privacy_consenttext_change", args=[text.pk]), {"text": "Rewritten."}
    )

    text.refresh_from_db()
    assert text.text != "Rewritten."


def test_a_purpose_can_be_edited_in_the_admin(admin_client):
    purpose = ConsentPurpose.objects.get(key="newsletter")

    response = admin_client.get(reverse("admin:privacy_consentpurpose_change", args=[purpose.pk]))

    assert response.status_code == 200
    assert "name_de" in response.context["adminform"].form.fields
