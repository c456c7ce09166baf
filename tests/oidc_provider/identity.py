"""The test provider's people (a JSON file the tests rewrite between logins), their
claims, the keys it publishes and its request log."""

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, JsonResponse, QueryDict
from jwcrypto.jwk import JWK
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import JwksInfoView

from tests.oidc_provider import PEOPLE, PUBLISHED_KEY, REQUESTS


def _people() -> dict:
    path = settings.DIR / PEOPLE
    return json.loads(path.read_text()) if path.exists() else {}


class DirectoryBackend:
    """Logs in the people of people.json (their row is made at their first login)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        person = _people().get(username or "")
        if person is None or not secrets.compare_digest(person["password"], password or ""):
            return None
        user, _created = get_user_model().objects.get_or_create(username=username)
        return user

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id).first()


class DirectoryValidator(OAuth2Validator):
    """Each person's claims as people.json has them now; customer_number with the
    `customer` scope only."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "customer_number": "customer"}

    def get_additional_claims(self, request):
        return _people()[request.user.username]["claims"]


class Jwks(JwksInfoView):
    """The provider's public key, or, when published_key.pem is there, that other key
    under the id of the one it signs with: tokens then fail their signature check."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        other = settings.DIR / PUBLISHED_KEY
        if not other.exists():
            return response
        own = json.loads(response.content)["keys"][0]
        key = JWK.from_pem(other.read_bytes())
        published = {"alg": "RS256", "use": "sig", "kid": own["kid"]}
        return JsonResponse({"keys": [{**published, **json.loads(key.export_public())}]})


class RequestLogMiddleware:
    """One JSON line per request: method, path, query, the names of the form fields
    (never their values) and the status answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        body = request.body  # read first, so the views may still parse it
        response = self.get_response(request)
        entry = {
            "method": request.method,
            "path": request.path,
            "query": request.GET.dict(),
            "form": sorted(QueryDict(body).keys()) if request.method == "POST" else [],
            "status": response.status_code,
        }
        with (settings.DIR / REQUESTS).open("a") as log:
            log.write(json.dumps(entry) + "\n")
        return response
