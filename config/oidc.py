"""The brand's OpenID Connect providers ("Log in with your <brand> account"): the
environment variables config/settings.py reads, checked and turned into allauth's
SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] (docs/oidc.md). Plain Python: the
settings run it before Django is set up.

Either OIDC_PROVIDERS, a JSON list of providers::

    [{"id": "telco", "name": "Telco", "server_url": "https://login.telco.example",
      "client_id": "peerdesk", "secret": "...", "scopes": ["openid", "email", "customer"],
      "customer_number_claim": "customer_number", "name_claim": "name"}]

or one provider in OIDC_SERVER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and, optionally,
OIDC_ID, OIDC_NAME, OIDC_SCOPES (comma-separated), OIDC_CUSTOMER_NUMBER_CLAIM,
OIDC_NAME_CLAIM. A mistake stops the site from starting, with a message naming it.
"""

import json
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_ID = "customer"
DEFAULT_SCOPES = ["openid", "profile", "email"]
DEFAULT_CUSTOMER_NUMBER_CLAIM = "customer_number"
DEFAULT_NAME_CLAIM = "name"
# The id is a part of the login and callback URLs (/accounts/oidc/<id>/login/).
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
KEYS = {
    "id", "name", "server_url", "client_id", "secret", "scopes",
    "customer_number_claim", "name_claim",
}  # fmt: skip


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"OpenID Connect provider settings (docs/oidc.md): {message}")


def _text(provider: dict, key: str, where: str, *, default: str | None = None) -> str:
    value = provider.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise _fail(f"{where}: {key!r} must be a non-empty string.")
    return value.strip()


def _app(provider: dict, *, where: str, debug: bool) -> dict:
    """One provider as an entry of allauth's APPS."""
    if not isinstance(provider, dict):
        raise _fail(f"{where} must be an object.")
    unknown = sorted(set(provider) - KEYS)
    if unknown:
        raise _fail(f"{where}: unknown keys {unknown}; known are {sorted(KEYS)}.")
    provider_id = _text(provider, "id", where, default=DEFAULT_ID)
    if not ID_PATTERN.fullmatch(provider_id):
        raise _fail(f"{where}: 'id' must be lower-case letters, digits, '-' or '_'.")
    server_url = _text(provider, "server_url", where).rstrip("/")
    url = urlsplit(server_url)
    # The ID token and the userinfo come from here: never over plain HTTP in production.
    allowed = ("https", "http") if debug else ("https",)
    if url.scheme not in allowed or not url.netloc:
        raise _fail(f"{where}: 'server_url' must be an https:// URL (http:// only with DEBUG).")
    scopes = provider.get("scopes", DEFAULT_SCOPES)
    if not isinstance(scopes, list) or not all(isinstance(s, str) and s for s in scopes):
        raise _fail(f"{where}: 'scopes' must be a list of strings.")
    if "openid" not in scopes:
        raise _fail(f"{where}: 'scopes' must include 'openid'.")
    return {
        "provider_id": provider_id,
        # Empty: the community's name (accounts.oidc.providers.brand_name).
        "name": _text(provider, "name", where, default=""),
        "client_id": _text(provider, "client_id", where),
        "secret": _text(provider, "secret", where),
        "settings": {
            "server_url": server_url,
            "scope": scopes,
            "oauth_pkce_enabled": True,
            # Empty: no customer number is taken from this provider.
            "customer_number_claim": _text(
                provider, "customer_number_claim", where, default=DEFAULT_CUSTOMER_NUMBER_CLAIM
            ),
            "name_claim": _text(provider, "name_claim", where, default=DEFAULT_NAME_CLAIM),
        },
    }


def _from_single_variables(single: dict[str, str]) -> dict:
    scopes = [scope.strip() for scope in single.get("scopes", "").split(",") if scope.strip()]
    return {
        "id": single.get("id") or DEFAULT_ID,
        "name": single.get("name", ""),
        "server_url": single["server_url"],
        "client_id": single.get("client_id", ""),
        "secret": single.get("secret", ""),
        "scopes": scopes or DEFAULT_SCOPES,
        "customer_number_claim": single.get("customer_number_claim")
        or DEFAULT_CUSTOMER_NUMBER_CLAIM,
        "name_claim": single.get("name_claim") or DEFAULT_NAME_CLAIM,
    }


def oidc_apps(*, listed: str, single: dict[str, str], debug: bool) -> list[dict]:
    """allauth's APPS for the providers in `listed` (OIDC_PROVIDERS' JSON) or `single`
    (the OIDC_* variables by key, "" for unset); [] for none."""
    if listed and single.get("server_url"):
        raise _fail("set either OIDC_PROVIDERS or OIDC_SERVER_URL, not both.")
    if single.get("server_url"):
        return [_app(_from_single_variables(single), where="OIDC_*", debug=debug)]
    if not listed:
        return []
    try:
        providers = json.loads(listed)
    except ValueError as error:
        raise _fail(f"OIDC_PROVIDERS is not valid JSON: {error}.") from None
    if not isinstance(providers, list):
        raise _fail("OIDC_PROVIDERS must be a JSON list of providers.")
    apps = [
        _app(provider, where=f"OIDC_PROVIDERS[{index}]", debug=debug)
        for index, provider in enumerate(providers)
    ]
    ids = [app["provider_id"] for app in apps]
    if len(set(ids)) != len(ids):
        raise _fail("OIDC_PROVIDERS: each provider needs an 'id' of its own.")
    return apps
