"""allauth's login and callback of an OpenID Connect provider, mounted in their place
(accounts.oidc.urls, before allauth's URLs in config.urls), with two differences:

- the ID token's signature is always checked against the issuer's published keys.
  allauth skips the check when it fetched the token from the token endpoint itself,
  which OpenID Connect Core 3.1.3.7 allows over TLS; checking it costs one request for
  the keys and still refuses a token that the issuer did not sign, whatever the way
  it came (plain HTTP in a test setup, an intercepting proxy, a wrong endpoint);
- the page that sends the login form on to the provider allows that form to go to the
  provider's origin (the Content-Security-Policy's form-action), as config.urls does for
  Google and Facebook. The origin comes from the provider's discovery document.
"""

from urllib.parse import urlsplit

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse
from requests import RequestException


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


def _provider_origin(adapter: SignatureCheckingAdapter) -> str:
    """The authorization endpoint's origin; "" if the discovery document cannot be read
    now (sending the form then shows allauth's error page, on this site)."""
    try:
        url = urlsplit(adapter.authorize_url)
    except (RequestException, ValueError, KeyError):
        return ""
    return f"{url.scheme}://{url.netloc}" if url.scheme in ("http", "https") else ""


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    adapter = SignatureCheckingAdapter(request, provider_id)
    try:
        response = OAuth2LoginView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    if request.method == "GET" and response.status_code == 200:
        origin = _provider_origin(adapter)
        if origin:
            response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
    return response


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))(
            request
        )
    except SocialApp.DoesNotExist:
        raise Http404 from None
