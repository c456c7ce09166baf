"""How the API reads requests: DRF's parser, hardened.

Kept apart from config.api because DRF imports these while rest_framework.views
is still loading, and config.api needs rest_framework.views.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with absurdly deep nesting a 400 rather than a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON nested too deeply.")) from None
