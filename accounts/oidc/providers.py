"""Which logins come through the brand's identity providers, what the login button
calls the brand, and the rule that staff log in only that way."""

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.utils.translation import gettext as _

from accounts import roles
from branding.selectors import current as current_brand

OPENID_CONNECT = "openid_connect"


def brand_name() -> str:
    """The brand in "Log in with your <brand> account" when a provider is not given a
    name of its own: the community's name that staff set in the admin (branding)."""
    return current_brand().name


def is_brand_provider(provider) -> bool:
    """Whether an allauth provider (instance or class) is one of the brand's."""
    return provider is not None and provider.id == OPENID_CONNECT


def claim_name(provider, key: str) -> str:
    """The claim a provider's settings name for `key` ("customer_number_claim",
    "name_claim"); "" when none (an app added in the admin may leave them out)."""
    return str(provider.app.settings.get(key) or "")


def brand_provider_names(request) -> list[str]:
    """The names the login page's buttons give the brand's providers (accounts.social
    names those without one by brand_name())."""
    return [app.name for app in get_adapter(request).list_apps(request, provider=OPENID_CONNECT)]


def staff_login_refusal(request, user, *, sociallogin=None) -> str:
    """Why this login is refused ("" if it is not): with STAFF_LOGIN_OIDC_ONLY, staff log
    in only through a brand provider, never by password, a link in an email or another
    provider."""
    if not settings.STAFF_LOGIN_OIDC_ONLY or not roles.is_staff_member(user):
        return ""
    if sociallogin is not None and is_brand_provider(sociallogin.provider):
        return ""
    brands = " / ".join(brand_provider_names(request)) or brand_name()
    return _(
        "Staff members log in with their %(brand)s account, not with a password: please "
        "use the button “Log in with your %(brand)s account”."
    ) % {"brand": brands}
