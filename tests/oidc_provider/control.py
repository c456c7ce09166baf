"""The fixture `identity_provider`: the test provider (serve.py) in a subprocess, once per
test session, with Peerdesk's live server (pytest-django's `live_server`) as its client's
redirect URI. Import it into a conftest.py.

The subprocess gets a folder of its own: its SQLite database, its RSA signing key (made
here with `cryptography`), the people the tests add (`person`) and its request log
(`requests`)."""

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.oidc_provider import PASSWORD, PEOPLE, PUBLISHED_KEY, REQUESTS

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "telco"
START_SECONDS = 60
_numbers = count(1)


def rsa_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass
class IdentityProvider:
    directory: Path
    issuer: str

    def person(self, **claims) -> str:
        """Adds a person with these claims (besides their username as the subject, a
        unique email address, verified, and a name), or, given `username`, sets that
        person's claims anew. Returns the username; the password is
        tests.oidc_provider.PASSWORD."""
        username = claims.pop("username", None) or f"person{next(_numbers)}"
        people_file = self.directory / PEOPLE
        people = json.loads(people_file.read_text()) if people_file.exists() else {}
        defaults = {
            "sub": username,
            "email": f"{username}@customers.example",
            "email_verified": True,
            "name": username.title(),
        }
        people[username] = {"password": PASSWORD, "claims": {**defaults, **claims}}
        people_file.write_text(json.dumps(people))
        return username

    def requests(self) -> list[dict]:
        """What the provider was asked since the last forget_requests(), in order."""
        log = self.directory / REQUESTS
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def forget_requests(self) -> None:
        (self.directory / REQUESTS).unlink(missing_ok=True)

    @contextmanager
    def publishing_another_key(self) -> Iterator[None]:
        """Meanwhile its key set holds another key than the one it signs with."""
        other = self.directory / PUBLISHED_KEY
        other.write_bytes(rsa_key_pem())
        try:
            yield
        finally:
            other.unlink()


def _wait_until_ready(process: subprocess.Popen, errors: Path) -> int:
    deadline = time.monotonic() + START_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.startswith("ready "):
                return int(line.split()[1])
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"The test identity provider did not start:\n{errors.read_text()}")


@pytest.fixture(scope="session")
def identity_provider(live_server, tmp_path_factory) -> Iterator[IdentityProvider]:
    directory = tmp_path_factory.mktemp("identity-provider")
    (directory / "signing_key.pem").write_bytes(rsa_key_pem())
    redirect_uri = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    errors = directory / "stderr.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(directory), redirect_uri],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        port = _wait_until_ready(process, errors)
        yield IdentityProvider(directory=directory, issuer=f"http://127.0.0.1:{port}/o")
    finally:
        process.terminate()
        process.wait(timeout=10)
