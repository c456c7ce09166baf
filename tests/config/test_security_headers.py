"""The Content-Security-Policy: every page sends it, only the API docs and the social login
pages relax it (for themselves), and no page's markup needs more than it allows."""

import re
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.models import Site

from config.urls import REDOC_LOGO
from tests.factories import make_question, with_totp

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy" in response, f"no policy on {response.request['PATH_INFO']}"
    directives = [d.split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "url",
    ["/", "/search/?q=router", "/accounts/login/", "/accounts/signup/", "/contact/", "/nowhere/"],
)
def test_a_visitors_pages_send_the_sites_policy(client, url):
    assert policy(client.get(url)) == SITE_POLICY


def test_a_forum_and_a_question_send_the_sites_policy(client):
    question = make_question()

    for url in (question.forum.get_absolute_url(), question.get_absolute_url()):
        assert policy(client.get(url)) == SITE_POLICY


@pytest.mark.parametrize(
    "url", ["/points/", "/notifications/", "/privacy/", "/members/me/settings/"]
)
def test_a_members_pages_send_the_sites_policy(member_client, url):
    response = member_client.get(url)

    assert response.status_code == 200
    assert policy(response) == SITE_POLICY


def test_the_admin_keeps_the_sites_policy(client, django_user_model):
    admin = with_totp(
        django_user_model.objects.create_superuser(
            email="root@example.com", password="x", display_name="Root"
        )
    )
    client.force_login(admin)

    for url in ("/admin/login/", "/admin/", "/admin/community/question/"):
        assert policy(client.get(url)) == SITE_POLICY, url


def test_the_api_docs_relax_styles_workers_and_the_redoc_logo_on_that_page_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert policy(response) == SITE_POLICY | {
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", REDOC_LOGO],
        "worker-src": ["'self'", "blob:"],
    }
    html = response.content.decode()
    assert '<script src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"' in html
    assert "https://" not in html  # no script, style or font from elsewhere


@pytest.mark.parametrize(
    ("provider", "origin"),
    [("google", "https://accounts.google.com"), ("facebook", "https://www.facebook.com")],
)
def test_a_social_login_page_may_send_its_form_on_to_its_provider_only(client, provider, origin):
    app = SocialApp.objects.create(provider=provider, name=provider, client_id="id", secret="s")
    app.sites.add(Site.objects.get_current())

    response = client.get(f"/accounts/{provider}/login/")

    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    assert policy(response) == SITE_POLICY | {"form-action": ["'self'", origin]}


# --- The markup: what the policy would block must not be there ------------------------------

TEMPLATE_TAGS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}", re.S)
BLOCKED = {
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)", re.I),
    "event handler attribute": re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.I | re.S),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx code (needs eval)": re.compile(
        r"\b(?:data-)?hx-(?:on\b|on:|vars\b)|hx-vals\s*=\s*[\"']js:"
    ),
}


def _pages_markup() -> list[Path]:
    """Templates of pages and fragments (emails are no pages), and the Python that writes
    HTML: the dashboard's SVG charts and the template tags."""
    templates = [
        path
        for path in (BASE_DIR / "templates").rglob("*.html")
        if "emails" not in path.relative_to(BASE_DIR / "templates").parts
    ]
    python = [BASE_DIR / "insights" / "charts.py", *BASE_DIR.glob("*/templatetags/*.py")]
    return templates + python


def test_no_page_markup_holds_inline_script_style_handlers_or_eval():
    found = []
    for path in _pages_markup():
        text = path.read_text()
        if path.suffix == ".html":
            text = TEMPLATE_TAGS.sub("", text)
        for what, pattern in BLOCKED.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(BASE_DIR)}: {what}")
    assert not found, found


def test_htmx_adds_no_inline_style_and_its_indicator_rules_are_in_the_stylesheet(client):
    html = client.get("/").content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    css = (BASE_DIR / "static" / "css" / "peerdesk.css").read_text()
    assert ".htmx-indicator { opacity: 0; visibility: hidden; }" in css
    assert '<script src="/static/js/peerdesk.js" defer></script>' in html
