"""How the API reads requests: DRF's parser and token authentication, hardened.

Kept apart from config.api because DRF imports these while rest_framework.views
is still loading, and config.api needs rest_framework.views.
"""

import re

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, parsers

_TOKEN_KEY = re.compile(r"[0-9a-f]{40}")  # what rest_framework.authtoken generates


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with absurdly deep nesting a 400 rather than a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON nested too deeply.")) from None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, refusing a key that cannot be a token before PostgreSQL sees it
    (a NUL byte in the header would otherwise end in a DataError, a 500)."""

    def authenticate_credentials(self, key):
        if not _TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
