"""Runs the test identity provider: `python -m tests.oidc_provider.serve DIR REDIRECT_URI`.

Binds a free port on 127.0.0.1 first (the issuer's URL names it), then migrates its
SQLite database in DIR, registers Peerdesk as a confidential client (RS256, PKCE
required, the given redirect URI, no consent screen) and prints "ready <port>"."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # requests.jsonl has them
        pass


def main(directory: str, redirect_uri: str) -> None:
    httpd = Server(("127.0.0.1", 0), QuietHandler)
    port = httpd.server_port
    os.environ["IDP_DIR"] = directory
    os.environ["IDP_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    import django

    django.setup()

    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="Peerdesk",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    httpd.set_app(get_wsgi_application())
    print(f"ready {port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:3])
