"""How the OpenAPI schema describes personal access tokens (registered in AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.authentication.TokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token from the member's settings page (/members/me/tokens/) "
                "or POST /api/v1/auth/token/, sent as `Authorization: Bearer <token>`. Each "
                "token has scopes: reading private data needs `read`, writing `write`, the "
                "data export and erasure `privacy`, the savings figures `insights`."
            ),
        }
