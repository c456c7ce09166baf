"""Signing up asks for the required purposes and offers the optional ones unticked."""

import pytest

from accounts.models import User
from privacy import selectors
from privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

PASSWORD = "kettle-Harbour-91"


def _signup(client, **consents):
    data = {
        "email": "new@example.com",
        "display_name": "New Member",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(
        "/accounts/signup/", data | {f"consent_{k}": "on" for k, v in consents.items() if v}
    )


def test_the_signup_page_offers_every_purpose_unticked_with_a_link_to_its_text(client):
    html = client.get("/accounts/signup/").content.decode()

    for key in ["terms", "privacy", "newsletter", "leaderboards"]:
        assert f'name="consent_{key}"' in html
        assert f'href="/privacy/texts/{key}/"' in html
    assert "checked" not in html


def test_signup_without_the_terms_is_refused_and_creates_nobody(client):
    response = _signup(client, privacy=True)

    assert response.status_code == 200
    assert "consent_terms" in response.context["form"].errors
    assert not User.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_signup_records_the_required_purposes_and_only_the_ticked_optional_ones(client):
    response = _signup(client, terms=True, privacy=True, leaderboards=True)

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    records = ConsentRecord.objects.filter(user=user)
    assert sorted(r.purpose.key for r in records) == ["leaderboards", "privacy", "terms"]
    assert {(r.granted, r.method, r.version) for r in records} == {(True, "signup", 1)}
    assert selectors.has_consent(user=user, purpose_key="newsletter") is False
    assert selectors.missing_required(user) == []
