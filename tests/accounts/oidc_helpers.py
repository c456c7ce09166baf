"""For the tests of "Log in with your <brand> account": Peerdesk configured with a brand
provider the way a deployment is, from the OIDC_* environment variables (config.oidc),
and a browser: an httpx client that follows redirects between Peerdesk's live server
and the test identity provider (each keeps its own cookies: one is on localhost, the
other on 127.0.0.1) and fills in forms the way a person does."""

import runpy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from django.conf import settings as django_settings

from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD
from tests.oidc_provider.control import PROVIDER_ID

BUTTON = "Log in with your Telco account"

MAX_REDIRECTS = 20


@dataclass
class Form:
    action: str
    method: str
    in_main: bool  # in the page's <main>, not the header's search or language forms
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The forms of a page with the values their inputs send as they are."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self._text: list[str] = []
        self._in_main = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = {name: value or "" for name, value in attrs}
        if tag == "main":
            self._in_main = True
        elif tag == "form":
            method = attrs.get("method", "get").lower()
            self.forms.append(Form(attrs.get("action", ""), method, self._in_main))
        elif tag == "input" and self.forms and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind not in ("checkbox", "radio", "submit") or "checked" in attrs:
                self.forms[-1].fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "a" and "href" in attrs:
            self._href, self._text = attrs["href"], []

    def handle_data(self, data) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "main":
            self._in_main = False
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def parse(response: httpx.Response) -> _Forms:
    parser = _Forms()
    parser.feed(response.text)
    return parser


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class Browser:
    def __init__(self) -> None:
        # trust_env=False: no proxy from the environment between the two local servers.
        self.client = httpx.Client(timeout=20, trust_env=False)
        self.visited: list[str] = []

    def close(self) -> None:
        self.client.close()

    def _follow(self, response: httpx.Response, stop_at: str) -> httpx.Response:
        """Follows redirects, or stops at the one that would go to `stop_at`."""
        for _ in range(MAX_REDIRECTS):
            if not response.is_redirect:
                return response
            target = urljoin(str(response.url), response.headers["location"])
            if stop_at and target.startswith(stop_at):
                return response
            self.visited.append(target)
            response = self.client.get(target)
        raise AssertionError("too many redirects")

    def get(self, url: str, *, stop_at: str = "") -> httpx.Response:
        self.visited.append(url)
        return self._follow(self.client.get(url), stop_at)

    def submit(
        self, page: httpx.Response, data: dict | None = None, *, stop_at: str = ""
    ) -> httpx.Response:
        """Sends the page's first form that posts, in its <main> if it has one."""
        forms = [form for form in parse(page).forms if form.method == "post"]
        chosen = next((form for form in forms if form.in_main), forms[0])
        url = urljoin(str(page.url), chosen.action or str(page.url))
        response = self.client.post(url, data={**chosen.fields, **(data or {})})
        return self._follow(response, stop_at)

    def click(self, page: httpx.Response, text: str) -> httpx.Response:
        [href] = [href for href, label in parse(page).links if label == text]
        return self.get(urljoin(str(page.url), href))


def log_in_at_provider(browser: Browser, page: httpx.Response, username: str, **kwargs):
    """On the provider's login page: the person's username and password."""
    assert "Customer portal login" in page.text, page.text[:500]
    return browser.submit(page, {"username": username, "password": PASSWORD}, **kwargs)


def brand_login(browser: Browser, site: str, username: str, *, button: str, **kwargs):
    """From Peerdesk's login page, through its confirmation page and the provider's
    login, back to Peerdesk (the signup form for a newcomer, else the page after login)."""
    login_page = browser.get(f"{site}/accounts/login/")
    confirm = browser.click(login_page, button)
    at_provider = browser.submit(confirm)
    return log_in_at_provider(browser, at_provider, username, **kwargs)


OIDC_VARIABLES = (
    "OIDC_PROVIDERS", "OIDC_ID", "OIDC_NAME", "OIDC_SERVER_URL", "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET", "OIDC_SCOPES", "OIDC_CUSTOMER_NUMBER_CLAIM", "OIDC_NAME_CLAIM",
    "STAFF_LOGIN_OIDC_ONLY",
)  # fmt: skip


def settings_from_env(**variables: str) -> dict:
    """The settings config/settings.py makes with these OIDC_* variables (and no others
    of them), run afresh."""
    with pytest.MonkeyPatch.context() as patch:
        for name in OIDC_VARIABLES:
            patch.delenv(name, raising=False)
        for name, value in variables.items():
            patch.setenv(name, value)
        return runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))


def configure(settings, **variables: str) -> None:
    """Peerdesk's brand providers as config/settings.py makes them from these variables."""
    made = settings_from_env(**variables)["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]
    settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS, "openid_connect": made}


@pytest.fixture
def telco(settings):
    """A brand provider named Telco that is never asked (tests of pages and rules)."""
    configure(
        settings,
        OIDC_ID=PROVIDER_ID,
        OIDC_NAME="Telco",
        OIDC_SERVER_URL="https://login.telco.example",
        OIDC_CLIENT_ID="peerdesk",
        OIDC_CLIENT_SECRET="secret",
    )


@pytest.fixture
def brand(identity_provider, settings, purposes, live_server):
    """Peerdesk with the test identity provider as its "Telco" account (plain HTTP, as
    the tests' DEBUG=true environment allows), its request log emptied."""
    configure(
        settings,
        OIDC_ID=PROVIDER_ID,
        OIDC_NAME="Telco",
        OIDC_SERVER_URL=identity_provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_SCOPES="openid,profile,email,customer",
    )
    identity_provider.forget_requests()
    return identity_provider


@pytest.fixture
def browser():
    browser = Browser()
    yield browser
    browser.close()
