"""The signature of a request Peerdesk sends to another system (the billing webhook, the
forwarded contact requests, the outbound webhooks): HMAC-SHA256 of the timestamp, a dot
and the raw body, so the receiver checks both that the body is ours and that it is
fresh."""

import hashlib
import hmac


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256, keyed with `secret`, of "<timestamp>.<body>"."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
