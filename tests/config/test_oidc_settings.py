"""The brand's OpenID Connect providers from the environment (config/settings.py and
config.oidc): what allauth gets, and a mistake stops the site with a message that names
it. The settings run afresh with the variables (tests.accounts.oidc_helpers)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.accounts.oidc_helpers import settings_from_env

TELCO = {
    "id": "telco",
    "name": "Telco",
    "server_url": "https://login.telco.example/",
    "client_id": "peerdesk",
    "secret": "s3cret",
    "scopes": ["openid", "email", "customer"],
    "customer_number_claim": "kundennummer",
    "name_claim": "nickname",
}


def apps(monkeypatch, *, debug: bool = False, **variables: str) -> list[dict]:
    monkeypatch.setenv("DEBUG", "true" if debug else "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    return settings_from_env(**variables)["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]


def test_no_variables_no_providers(monkeypatch):
    assert apps(monkeypatch) == []


def test_a_list_of_providers_becomes_allauths_apps_with_pkce(monkeypatch):
    other = {**TELCO, "id": "kabel", "name": "", "server_url": "https://id.kabel.example"}
    del other["customer_number_claim"], other["name_claim"], other["scopes"]

    telco, kabel = apps(monkeypatch, OIDC_PROVIDERS=json.dumps([TELCO, other]))

    assert telco == {
        "provider_id": "telco",
        "name": "Telco",
        "client_id": "peerdesk",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://login.telco.example",
            "scope": ["openid", "email", "customer"],
            "oauth_pkce_enabled": True,
            "customer_number_claim": "kundennummer",
            "name_claim": "nickname",
        },
    }
    assert kabel["name"] == ""  # the brand's name on the button (accounts.oidc)
    assert kabel["settings"]["scope"] == ["openid", "profile", "email"]
    assert kabel["settings"]["customer_number_claim"] == "customer_number"
    assert kabel["settings"]["name_claim"] == "name"


def test_one_provider_from_single_variables(monkeypatch):
    [app] = apps(
        monkeypatch,
        OIDC_SERVER_URL="https://login.telco.example",
        OIDC_CLIENT_ID="peerdesk",
        OIDC_CLIENT_SECRET="s3cret",
        OIDC_SCOPES="openid, email ,customer",
        OIDC_CUSTOMER_NUMBER_CLAIM="kundennummer",
    )

    assert app["provider_id"] == "customer"
    assert app["settings"]["scope"] == ["openid", "email", "customer"]
    assert app["settings"]["customer_number_claim"] == "kundennummer"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OIDC_PROVIDERS": "[{"}, "not valid JSON"),
        ({"OIDC_PROVIDERS": json.dumps(TELCO)}, "must be a JSON list"),
        ({"OIDC_PROVIDERS": json.dumps([{**TELCO, "secret": ""}])}, "'secret' must be"),
        ({"OIDC_PROVIDERS": json.dumps([{**TELCO, "id": "Tel co"}])}, "'id' must be"),
        ({"OIDC_PROVIDERS": json.dumps([{**TELCO, "scopes": ["email"]}])}, "include 'openid'"),
        ({"OIDC_PROVIDERS": json.dumps([{**TELCO, "client": "x"}])}, "unknown keys ['client']"),
        ({"OIDC_PROVIDERS": json.dumps([TELCO, TELCO])}, "an 'id' of its own"),
        (
            {"OIDC_PROVIDERS": json.dumps([{**TELCO, "server_url": "http://login.example"}])},
            "must be an https:// URL",
        ),
        (
            {"OIDC_PROVIDERS": json.dumps([TELCO]), "OIDC_SERVER_URL": "https://x.example"},
            "either OIDC_PROVIDERS or OIDC_SERVER_URL",
        ),
        ({"OIDC_SERVER_URL": "https://login.telco.example"}, "'client_id' must be"),
    ],
)
def test_a_mistake_stops_the_site_naming_it(monkeypatch, variables, message):
    with pytest.raises(ImproperlyConfigured, match=r"docs/oidc\.md") as error:
        apps(monkeypatch, **variables)

    assert message in str(error.value)


def test_plain_http_only_with_debug(monkeypatch):
    local = json.dumps([{**TELCO, "server_url": "http://127.0.0.1:9000/o"}])

    [app] = apps(monkeypatch, debug=True, OIDC_PROVIDERS=local)

    assert app["settings"]["server_url"] == "http://127.0.0.1:9000/o"


def test_staff_login_oidc_only_needs_a_provider():
    with pytest.raises(ImproperlyConfigured, match="STAFF_LOGIN_OIDC_ONLY needs"):
        settings_from_env(STAFF_LOGIN_OIDC_ONLY="true")

    made = settings_from_env(STAFF_LOGIN_OIDC_ONLY="true", OIDC_PROVIDERS=json.dumps([TELCO]))

    assert made["STAFF_LOGIN_OIDC_ONLY"] is True
    assert [app["provider_id"] for app in made["OIDC_APPS"]] == ["telco"]


def test_pkce_is_on_for_the_providers_added_in_the_admin_too():
    made = settings_from_env()

    assert made["SOCIALACCOUNT_PROVIDERS"]["openid_connect"] == {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [],
    }
