"""The privacy page, the accept page, the public texts, and the middleware that asks
for a new required version."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy import selectors, services
from privacy.models import ConsentPurpose, ConsentRecord
from tests.privacy.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def consenting_client(client, consenting_member):
    client.force_login(consenting_member)
    return client


def test_the_privacy_page_needs_a_login(client):
    response = client.get(reverse("privacy:settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_privacy_page_shows_each_purpose_its_text_state_and_history(
    consenting_client, consenting_member
):
    services.consent_grant(user=consenting_member, purpose_key="newsletter", method="api")
    services.consent_withdraw(user=consenting_member, purpose_key="newsletter", method="settings")

    response = consenting_client.get(reverse("privacy:settings"))

    html = response.content.decode()
    assert response.status_code == 200
    for name in ["Terms of use", "Privacy notice", "Newsletter", "Leaderboards"]:
        assert name in html
    assert "<details" in html
    assert "We send you our newsletter" in html
    newsletter = html[html.index('id="purpose-newsletter"') :]
    newsletter = newsletter[: newsletter.index("</section>")]
    assert "Withdrawn" in newsletter
    assert "through the API" in newsletter
    assert "on the privacy page" in newsletter
    assert 'value="grant"' in newsletter


def test_the_privacy_page_is_in_german_for_german_speakers(consenting_client):
    response = consenting_client.get(reverse("privacy:settings"), HTTP_ACCEPT_LANGUAGE="de")

    assert "Nutzungsbedingungen" in response.content.decode()


def test_withdrawing_on_the_privacy_page_is_one_click(consenting_client, consenting_member):
    services.consent_grant(user=consenting_member, purpose_key="leaderboards", method="signup")

    response = consenting_client.post(
        reverse("privacy:change", args=["leaderboards"]), {"action": "withdraw"}
    )

    assert response.status_code == 302
    assert response.url == reverse("privacy:settings") + "#purpose-leaderboards"
    assert selectors.has_consent(user=consenting_member, purpose_key="leaderboards") is False
    assert (
        ConsentRecord.objects.filter(user=consenting_member, purpose__key="leaderboards")
        .latest("created_at")
        .method
        == ConsentRecord.Method.SETTINGS
    )


def test_granting_on_the_privacy_page_records_the_version_shown(
    consenting_client, consenting_member
):
    consenting_client.post(
        reverse("privacy:change", args=["newsletter"]), {"action": "grant", "version": "1"}
    )

    assert selectors.has_consent(user=consenting_member, purpose_key="newsletter") is True


def test_withdrawing_a_required_purpose_on_the_page_is_refused_with_a_message(
    consenting_client, consenting_member
):
    response = consenting_client.post(
        reverse("privacy:change", args=["terms"]), {"action": "withdraw"}, follow=True
    )

    assert "delete your account" in response.content.decode()
    assert selectors.has_consent(user=consenting_member, purpose_key="terms") is True


def test_an_unknown_purpose_on_the_page_is_not_found(consenting_client):
    response = consenting_client.post(reverse("privacy:change", args=["nope"]), {"action": "grant"})

    assert response.status_code == 404


def test_the_current_text_of_a_purpose_is_public(client):
    publish("terms", text="Version two of the rules.")

    response = client.get(reverse("privacy:text", args=["terms"]))

    assert response.status_code == 200
    assert "Version two of the rules." in response.content.decode()


def test_a_member_who_has_not_accepted_the_required_texts_is_sent_to_the_accept_page(
    newcomer_client,
):
    response = newcomer_client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("privacy:accept") + "?next=%2F"


def test_after_a_new_required_version_the_member_is_asked_and_after_accepting_is_not(
    consenting_client, consenting_member
):
    assert consenting_client.get("/").status_code == 200
    publish("terms", text="Rules, second edition.")

    asked = consenting_client.get("/f/anything/?page=2")
    assert asked.status_code == 302
    assert asked.url == reverse("privacy:accept") + "?next=%2Ff%2Fanything%2F%3Fpage%3D2"
    page = consenting_client.get(asked.url)
    assert "Rules, second edition." in page.content.decode()
    assert "Privacy notice" not in page.content.decode()

    accepted = consenting_client.post(
        reverse("privacy:accept"), {"version_terms": "2", "next": "/"}
    )

    assert accepted.status_code == 302
    assert accepted.url == "/"
    assert consenting_client.get("/").status_code == 200
    latest = ConsentRecord.objects.filter(user=consenting_member, purpose__key="terms").first()
    assert (latest.version, latest.granted, latest.method) == (2, True, "prompt")


def test_a_member_who_accepted_is_not_asked_the_database_again_on_the_next_page(
    consenting_client,
):
    consenting_client.get("/")

    with CaptureQueriesContext(connection) as again:
        consenting_client.get("/")

    assert not [q for q in again.captured_queries if "privacy_consent" in q["sql"]]


def test_a_version_published_for_later_is_asked_for_from_the_moment_it_is_published(
    consenting_client,
):
    soon = timezone.now() + timedelta(seconds=1)
    services.consent_text_publish(
        purpose=ConsentPurpose.objects.get(key="terms"), text="Rules, later.", published_at=soon
    )
    assert consenting_client.get("/").status_code == 200  # not yet: the kept answer holds

    time.sleep((soon - timezone.now()).total_seconds() + 0.2)  # the kept list expires then

    assert consenting_client.get("/").status_code == 302


def test_accepting_a_page_older_than_the_current_version_accepts_nothing(
    consenting_client, consenting_member
):
    publish("terms")
    publish("terms")

    consenting_client.post(reverse("privacy:accept"), {"version_terms": "2"})

    assert selectors.has_consent(user=consenting_member, purpose_key="terms") is False


def test_the_accept_page_never_redirects_to_another_site(consenting_client):
    response = consenting_client.get(reverse("privacy:accept"), {"next": "https://evil.example/"})

    assert response.url == "/"


@pytest.mark.parametrize(
    "path",
    ["/privacy/", "/accounts/email/", "/api/v1/forums/", "/healthz", "/admin/"],
)
def test_the_middleware_lets_exempt_pages_through(newcomer_client, path):
    response = newcomer_client.get(path)

    assert not (response.status_code == 302 and "/privacy/accept/" in response.url)


def test_the_middleware_leaves_visitors_alone(client):
    assert client.get("/").status_code == 200


def test_the_middleware_does_not_redirect_a_post(newcomer_client):
    response = newcomer_client.post("/q/999999/kudos/")

    assert response.status_code == 404


def test_the_middleware_does_not_redirect_an_htmx_fragment(newcomer_client):
    response = newcomer_client.get("/", headers={"HX-Request": "true"})

    assert response.status_code == 200


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_privacy_page_costs_the_same_queries_with_a_long_history(
    consenting_client, consenting_member
):
    consenting_client.get(reverse("privacy:settings"))  # the session's first request saves it
    short = _queries(consenting_client, reverse("privacy:settings"))
    for _round in range(10):
        services.consent_grant(user=consenting_member, purpose_key="newsletter", method="api")
        services.consent_withdraw(user=consenting_member, purpose_key="newsletter", method="api")

    assert _queries(consenting_client, reverse("privacy:settings")) == short


def test_accepting_is_all_or_nothing_when_one_text_changed_meanwhile(
    consenting_client, consenting_member
):
    publish("terms")
    publish("privacy")
    publish("privacy")

    response = consenting_client.post(
        reverse("privacy:accept"), {"version_terms": "2", "version_privacy": "2", "next": "/f/x/"}
    )

    assert response.url == reverse("privacy:accept") + "?next=%2Ff%2Fx%2F"
    assert selectors.has_consent(user=consenting_member, purpose_key="terms") is False
    assert selectors.has_consent(user=consenting_member, purpose_key="privacy") is False
