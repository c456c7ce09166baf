"""allauth's pages are framed by the site's base.html and read like the rest of the site."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

SKIP_LINK = 'class="skip-link" href="#main"'

ENTRANCE_PAGES = [
    reverse("account_login"),
    reverse("account_signup"),
    reverse("account_reset_password"),
    reverse("account_reset_password_done"),
    reverse("account_email_verification_sent"),
    reverse("account_confirm_email", args=["no-such-key"]),
    reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"}),
]
MEMBER_PAGES = [
    reverse("account_logout"),
    reverse("account_email"),
    reverse("account_change_password"),
]


def _unlabelled_inputs(html: str) -> list[str]:
    """Visible form controls without a <label for=...> of their own."""
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
    unlabelled = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        found = re.search(r'\bid="([^"]+)"', tag)
        if not found or found.group(1) not in labelled:
            unlabelled.append(tag)
    return unlabelled


@pytest.mark.parametrize("url", ENTRANCE_PAGES)
def test_entrance_pages_render_in_the_site_frame(client, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert SKIP_LINK in html
    assert 'id="main"' in html
    assert html.count("<h1") == 1
    assert _unlabelled_inputs(html) == []


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_account_pages_for_members_render_in_the_site_frame(member_client, url):
    response = member_client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert SKIP_LINK in html
    assert _unlabelled_inputs(html) == []


def test_the_signup_page_explains_the_display_name(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<label for="id_display_name"' in html
    assert 'aria-describedby="id_display_name_helptext"' in html
    assert "Your email address stays private." in html
    assert "<title>Sign up · Peerdesk</title>" in html


def test_signup_errors_are_shown_next_to_the_field(client):
    html = client.post(
        reverse("account_signup"), {"email": "not-an-email", "display_name": "!"}
    ).content.decode()

    assert 'aria-invalid="true"' in html
    assert 'id="id_display_name_error"' in html
    assert 'class="errorlist' in html


def test_a_failed_login_says_so_in_an_alert(client, member):
    html = client.post(
        reverse("account_login"), {"login": member.email, "password": "wrong-password"}
    ).content.decode()

    assert 'role="alert"' in html
    assert "not correct" in html


def test_the_password_reset_link_opens_the_new_password_form(client, member):
    member.emailaddress_set.create(email=member.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": member.email})
    url = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)

    response = client.get(urlparse(url).path, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a new password" in html
    assert SKIP_LINK in html
    assert 'name="password1"' in html
