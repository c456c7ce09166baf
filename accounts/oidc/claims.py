"""What a login through the brand's identity provider keeps and does: the claims on
record, the display name it suggests, and the customer number it vouches for."""

import logging

from allauth.socialaccount.providers.oauth2.client import OAuth2Error

from accounts.customer_link.services import customer_link_from_provider
from accounts.oidc.providers import claim_name, is_brand_provider
from core.errors import ConsentRequired

log = logging.getLogger(__name__)

# What any provider may leave on record: enough to recognise the account and reach the
# member, never friend lists, birthdays or photos. A brand provider adds its customer-
# number and name claims.
KEPT_PROVIDER_FIELDS = frozenset({"id", "sub", "email", "email_verified", "verified_email", "name"})


def kept_claims(sociallogin) -> dict:
    """The account's extra data reduced to the fields kept. A brand provider's userinfo
    and ID token (allauth keeps both) become one flat dict, the signed ID token's claims
    winning; they must be about the same subject (OpenID Connect Core 5.3.2)."""
    data = sociallogin.account.extra_data or {}
    kept = set(KEPT_PROVIDER_FIELDS)
    provider = sociallogin.provider
    if is_brand_provider(provider):
        userinfo, id_token = data.get("userinfo") or {}, data.get("id_token") or {}
        if userinfo and id_token and userinfo.get("sub") != id_token.get("sub"):
            raise OAuth2Error("The userinfo is about another subject than the ID token.")
        data = {**userinfo, **id_token}
        kept |= {claim_name(provider, key) for key in ("customer_number_claim", "name_claim")}
    return {key: value for key, value in data.items() if key in kept}


def _claim(sociallogin, key: str) -> str:
    name = claim_name(sociallogin.provider, key)
    value = (sociallogin.account.extra_data or {}).get(name) if name else None
    # A number may come as a JSON number; anything else (a list, an object) is no value.
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def suggested_display_name(sociallogin) -> str:
    """The provider's name claim, offered (not imposed) as the display name at signup."""
    if not is_brand_provider(sociallogin.provider):
        return ""
    return _claim(sociallogin, "name_claim")


def customer_link_from_login(*, user, sociallogin) -> None:
    """After a signup, login or connect through a brand provider that sends a customer
    number: links it, verified (accounts.customer_link.services.customer_link_from_provider
    says when it does not). A member who must first accept new terms is linked at their
    next login after accepting them."""
    if not is_brand_provider(sociallogin.provider):
        return
    if not claim_name(sociallogin.provider, "customer_number_claim"):
        return
    try:
        customer_link_from_provider(
            user=user,
            customer_number=_claim(sociallogin, "customer_number_claim"),
            provider=sociallogin.account.provider,
        )
    except ConsentRequired:
        log.info("customer number of member %s not linked before they accept the terms", user.pk)
