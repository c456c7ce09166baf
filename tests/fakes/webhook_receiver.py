"""A brand's system receiving Peerdesk's webhooks, for tests: a real threaded HTTP server
on 127.0.0.1 that does what docs/webhooks.md asks a receiver to do, written from the
docs and not from Peerdesk's code. This is the edge of the world.

It checks the signature header against the secrets it knows (any "v1=" entry made with
one of them passes, the way a receiver switches secrets during a rotation), drops a
delivery id it has processed (a retry of something it has) and answers according to the
next of `answers` (then "ok"):

- "ok": 200 {"received": true}
- "fail": 500 with a short text
- "slow": processes, waits `slow_seconds`, then 200
- "hang": processes, waits `hang_seconds` (longer than the client waits), then 200
- "big": 200 with a body of 100,000 characters
- "redirect": 302 to another path

Use the fixture `receiver` (import receiver_fixture into a conftest.py or a test module):
it lets the settings reach a receiver on this machine over http, and the client waits
at most CLIENT_TIMEOUT for an answer.
"""

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

MAX_CLOCK_SKEW = 300
CLIENT_TIMEOUT = 0.5


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signed_with: set[str]  # the known secrets whose signature is in the header

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def delivery_id(self) -> str:
        return self.headers["X-Peerdesk-Delivery"]


@dataclass
class WebhookReceiver:
    secrets: list[str] = field(default_factory=list)
    answers: deque = field(default_factory=deque)
    slow_seconds: float = 0.3
    hang_seconds: float = 2.0
    requests: list[Received] = field(default_factory=list)  # every request, in order
    processed: list[dict] = field(default_factory=list)  # the events it acted on, once each
    duplicates: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/peerdesk-events"

    def start(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def signed_with(self, headers, body: bytes) -> set[str]:
        """The check a receiver implements: timestamp fresh, and some v1 signature in the
        header equal to HMAC-SHA256(secret, f"{timestamp}.{body}")."""
        timestamp = headers.get("X-Peerdesk-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return set()
        sent = [
            part.strip()[3:]
            for part in headers.get("X-Peerdesk-Signature", "").split(",")
            if part.strip().startswith("v1=")
        ]
        matched = set()
        for secret in self.secrets:
            expected = hmac.new(
                secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            if any(hmac.compare_digest(expected, signature) for signature in sent):
                matched.add(secret)
        return matched

    def answer(self, headers, body: bytes) -> tuple[int, bytes, dict]:
        signed = self.signed_with(headers, body)
        with self.lock:
            self.requests.append(Received(dict(headers), body, signed))
            mode = self.answers.popleft() if self.answers else "ok"
        if not signed:
            return 401, b'{"detail": "bad signature"}', {}
        if mode == "fail":
            return 500, b"Internal Server Error: the CRM is down", {}
        if mode == "redirect":
            return 302, b"", {"Location": "/elsewhere"}
        with self.lock:
            delivery = headers["X-Peerdesk-Delivery"]
            if any(p["delivery"] == delivery for p in self.processed):
                self.duplicates += 1
            else:
                self.processed.append({"delivery": delivery, "event": json.loads(body)})
        if mode in ("slow", "hang"):  # processed, then slow to say so
            time.sleep(self.slow_seconds if mode == "slow" else self.hang_seconds)
        if mode == "big":
            return 200, b"x" * 100_000, {}
        return 200, b'{"received": true}', {}

    def events(self, event_type: str | None = None) -> list[dict]:
        """The events processed, of one type if given."""
        return [
            p["event"]
            for p in self.processed
            if event_type is None or p["event"]["type"] == event_type
        ]


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, content, extra = receiver.answer(self.headers, body)
            try:
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up waiting ("hang")

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture(name="receiver")
def receiver_fixture(settings):
    """A brand's system on a real socket; the client waits CLIENT_TIMEOUT for it."""
    settings.WEBHOOKS_TIMEOUT = CLIENT_TIMEOUT
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    server = WebhookReceiver(hang_seconds=CLIENT_TIMEOUT * 4).start()
    yield server
    server.stop()
