"""A real OpenID Connect provider for the tests of "Log in with your <brand> account"
(accounts.oidc): a tiny Django project with django-oauth-toolkit in OIDC mode, run in a
subprocess with its own SQLite database (tests/oidc_provider/serve.py), driven by the
fixture in tests/oidc_provider/control.py. Its people and their claims live in a JSON
file the tests rewrite; every request it answers is logged for the tests to read.
"""

CLIENT_ID = "peerdesk-test-client"
CLIENT_SECRET = "peerdesk-test-secret-that-is-long-enough"
PASSWORD = "idp-password"
# Files in the provider's folder.
PEOPLE = "people.json"  # {username: {"password": ..., "claims": {...}}}
PUBLISHED_KEY = "published_key.pem"  # when present, the key published instead of its own
REQUESTS = "requests.jsonl"  # one JSON line per request answered
