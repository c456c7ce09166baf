"""Emails in the brand's name: the sender, the subject's prefix, and an HTML part for
emails written as plain text (allauth's, the account notices), wrapped in the brand's
layout (templates/emails/plain.html) with the text unchanged."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from branding.selectors import current


def sender() -> str:
    """The brand's sender name with the configured address (DEFAULT_FROM_EMAIL)."""
    return formataddr((current().sender_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def subject(text: str) -> str:
    return f"[{current().name}] {text}"


def with_html(message: EmailMessage) -> EmailMultiAlternatives:
    """`message` with an HTML part made from its text, unless it has one."""
    if isinstance(message, EmailMultiAlternatives) and message.alternatives:
        return message
    html = render_to_string("emails/plain.html", {"brand": current(), "text": message.body})
    branded = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
        reply_to=message.reply_to,
        headers=message.extra_headers,
    )
    branded.attach_alternative(html, "text/html")
    return branded


def send(*, to: list[str], subject_text: str, text_template: str, context: dict) -> None:
    """A notice to a member: the text from `text_template`, the brand's HTML around it."""
    message = EmailMessage(
        subject=subject(subject_text),
        body=render_to_string(text_template, context),
        from_email=sender(),
        to=to,
    )
    with_html(message).send()
