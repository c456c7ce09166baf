"""Shared by the privacy tests."""

from django.core import mail


def token_from_mail() -> str:
    """The download token of the export link in the latest email."""
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/download/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]
