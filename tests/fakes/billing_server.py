"""A fake billing system for tests: a real threaded HTTP server on 127.0.0.1 that speaks
the webhook protocol of docs/billing-webhook.md. This is the edge of the world, the one
place tests stand in for something else.

It checks every signature on its own (as a billing team would, from the docs), dedups
credits by Idempotency-Key and answers according to `mode`:

- "accept": applies a new key, 200 {"status": "accepted"}; a key it has: 409, nothing applied
- "twice": like "accept", but a key it has is answered 200 {"status": "duplicate"}
- "fail": 500, applies nothing
- "reject": 422 with a "detail", applies nothing
- "timeout": applies, then sleeps longer than the client waits (we never hear it accepted)
- "garbage": applies, then answers 200 with a body that is not JSON

Use the `billing_server` fixture (import it into a conftest.py): it points the settings at
the server with a short BILLING_TIMEOUT.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "test-billing-secret"
CLIENT_TIMEOUT = 0.5
MAX_CLOCK_SKEW = 300
MODES = ("accept", "twice", "fail", "reject", "timeout", "garbage")


class FakeBillingServer:
    def __init__(self, *, secret: str = SECRET, sleep: float = CLIENT_TIMEOUT * 3):
        self.secret = secret
        self.sleep = sleep
        self.mode = "accept"
        self.applied: dict[str, dict] = {}  # idempotency key -> credit payload
        self.references: dict[str, str] = {}  # idempotency key -> its id here ("fake-1")
        self.messages: list[dict] = []  # verification codes it was asked to send
        self.requests: list[dict] = []  # every request: headers, payload, client port
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/peerdesk"

    def start(self) -> "FakeBillingServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def signature_ok(self, headers, body: bytes) -> bool:
        """The check a billing team implements (docs/billing-webhook.md)."""
        timestamp = headers.get("X-Peerdesk-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return False
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(headers.get("X-Peerdesk-Signature", ""), f"sha256={expected}")

    def answer(self, headers, body: bytes, *, port: int) -> tuple[int, object]:
        """(status, JSON-able body, or bytes sent as they are) for one request."""
        if not self.signature_ok(headers, body):
            return 401, {"detail": "bad signature"}
        payload = json.loads(body)
        with self.lock:
            self.requests.append({"headers": dict(headers), "payload": payload, "port": port})
            if self.mode == "fail":
                return 500, {"detail": "internal error"}
            if self.mode == "reject":
                return 422, {"detail": "customer account closed"}
            if payload["type"] == "verification_code":
                self.messages.append(payload)
                answer = {"status": "sent"}
            else:
                key = headers["Idempotency-Key"]
                if key != payload["idempotency_key"]:
                    return 400, {"detail": "Idempotency-Key header and body differ"}
                if key in self.applied:
                    known = {"status": "duplicate", "reference": self.references[key]}
                    return (200 if self.mode == "twice" else 409), known
                reference = f"fake-{len(self.applied) + 1}"
                self.applied[key] = payload
                self.references[key] = reference
                answer = {"status": "accepted", "reference": reference}
        if self.mode == "timeout":
            time.sleep(self.sleep)
        if self.mode == "garbage":
            return 200, b"<html>Service Unavailable</html>"
        return 200, answer


def _handler_for(server: FakeBillingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so a batch can reuse its connection

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, answer = server.answer(self.headers, body, port=self.client_address[1])
            content = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up waiting ("timeout" mode)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def billing_server(settings):
    """A running fake billing system, with the settings pointing the webhook gateway at it."""
    server = FakeBillingServer().start()
    settings.BILLING_GATEWAY = "webhook"
    settings.BILLING_WEBHOOK_URL = server.url
    settings.BILLING_WEBHOOK_SECRET = SECRET
    settings.BILLING_TIMEOUT = CLIENT_TIMEOUT
    yield server
    server.stop()
